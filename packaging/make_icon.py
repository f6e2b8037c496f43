"""Draw the app icon (packaging/muskan.ico: the .exe, the installer, the shortcuts) with Pillow.

    uv run python packaging/make_icon.py

A navy disc with a saffron ring and a white "M" in the bundled Noto Sans Bold; drawn at
1024 px and scaled down to every size Windows asks an .ico for. The .ico is committed,
so a build never depends on this script; run it again only to change the design.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
NAVY = (20, 40, 100, 255)
SAFFRON = (255, 153, 51, 255)
SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(side: int = 1024) -> Image.Image:
    img = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = side // 32
    d.ellipse((pad, pad, side - pad, side - pad), fill=SAFFRON)
    ring = side // 14
    d.ellipse((pad + ring, pad + ring, side - pad - ring, side - pad - ring), fill=NAVY)
    font = ImageFont.truetype(str(ROOT / "resources" / "fonts" / "NotoSans-Bold.ttf"), side // 2)
    box = d.textbbox((0, 0), "M", font=font)
    w, h = box[2] - box[0], box[3] - box[1]
    d.text(((side - w) / 2 - box[0], (side - h) / 2 - box[1]), "M", font=font, fill="white")
    return img


def main() -> None:
    img = draw()
    img.save(ROOT / "packaging" / "muskan.ico", sizes=SIZES)
    print("wrote packaging/muskan.ico")


if __name__ == "__main__":
    main()
