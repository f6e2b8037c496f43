"""What the intake's speed costs: recall on small faces in large group photos.

    uv run python -m benchmarks.small_faces [--groups 4] [--side 4000] [--runs 1]

The intake is fast because it looks for a face on a 480 px copy of the photo first
(`FaceSettings.quick_side`), then on a 640 px copy upsampled up to twice, stopping at the
first pass that finds any face; the face_recognition CLI searches its copy of at most 1600 px
(its `test_image` shrinks larger photos) upsampled once. On a large group photo a face whose
eyes are 40-80 px apart is 5-10 px at 480 px and 6-13 px at 640 px: below dlib's 80 px window
unless upsampled, and a pass that finds one face ends the search for the others.

Group photos are made in code: `--groups` canvases of `--side` x 3/4 `--side` px, each with
12 faces cut from the shared single-face photos (../shared/data/faces), scaled so the eyes
are 40-80 px apart, pasted on a grid with jitter. The truth is where each pasted face's eyes
are (from dlib's 5-point landmarks on the source photo at full size). A found box counts when
it holds one truth face's eye midpoint. Compared on the same files:
- ours: `faces.find_faces` with the default settings (what `muskan faces import-folder` runs);
- ours without the first look (`quick_side=0`), to show what the 480 px look alone costs;
- the face_recognition CLI's detection: its `test_image` steps (shrink to 1600 px, LANCZOS;
  `face_locations`, upsample 1), in process so the boxes can be checked; the CLI itself is
  run once on the same folder to show it finds the same number of faces;
- face_recognition.face_locations on the photo at full size (upsample 1), for scale.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from .common import machine_load

ROOT = Path(__file__).resolve().parents[1]
FACES = Path(os.environ.get("MUSKAN_SHARED", ROOT.parent / "shared")) / "data" / "faces"
SOURCES = ["obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg", "32bit.png"]
PER_PHOTO = 12  # 4 x 3 grid
EYES = (40.0, 80.0)

Box = tuple[int, int, int, int]  # top, right, bottom, left


@dataclass(frozen=True)
class Face:
    photo: str
    x: float  # eye midpoint in the group photo
    y: float
    eyes: float  # px between the eye centres


@dataclass(frozen=True)
class Source:
    image: Image.Image
    box: Box
    mid: tuple[float, float]
    eyes: float


def sources() -> list[Source]:
    import face_recognition

    out = []
    for name in SOURCES:
        img = ImageOps.exif_transpose(Image.open(FACES / name)).convert("RGB")
        arr = np.asarray(img)
        boxes = face_recognition.face_locations(arr, 1)
        assert len(boxes) == 1, f"{name}: {len(boxes)} faces"
        marks = face_recognition.face_landmarks(arr, boxes, model="small")[0]
        left = np.mean(marks["left_eye"], axis=0)
        right = np.mean(marks["right_eye"], axis=0)
        mid = (left + right) / 2
        out.append(Source(img, boxes[0], (mid[0], mid[1]), float(np.linalg.norm(left - right))))
    return out


def make_groups(n: int, side: int, folder: Path, seed: int = 16) -> list[Face]:
    """n group photos of PER_PHOTO small faces each; returns where every face's eyes are."""
    rng = random.Random(seed)
    srcs = sources()
    folder.mkdir(parents=True)
    w, h = side, side * 3 // 4
    truth = []
    for g in range(n):
        noise = np.random.default_rng(seed + g).integers(90, 170, (h // 40, w // 40, 3))
        canvas = Image.fromarray(noise.astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC)
        canvas = canvas.filter(ImageFilter.GaussianBlur(3))
        name = f"group{g:02d}.jpg"
        cw, ch = w // 4, h // 3
        for i in range(PER_PHOTO):
            src = srcs[(g * PER_PHOTO + i) % len(srcs)]
            want = rng.uniform(*EYES)
            k = want / src.eyes
            t, r, b, left = src.box
            m = (b - t) * 0.6  # head and shoulders around the detector's box
            crop = (
                max(0, int(left - m)),
                max(0, int(t - m)),
                min(src.image.width, int(r + m)),
                min(src.image.height, int(b + m)),
            )
            face = src.image.crop(crop)
            face = face.resize(
                (max(1, round(face.width * k)), max(1, round(face.height * k))),
                Image.Resampling.LANCZOS,
            )
            if rng.random() < 0.5:
                face = ImageOps.mirror(face)
                mx = crop[2] - src.mid[0]
            else:
                mx = src.mid[0] - crop[0]
            my = src.mid[1] - crop[1]
            col, row = i % 4, i // 4
            x0 = col * cw + rng.randint(0, max(0, cw - face.width))
            y0 = row * ch + rng.randint(0, max(0, ch - face.height))
            canvas.paste(face, (x0, y0))
            truth.append(Face(name, x0 + mx * k, y0 + my * k, want))
        canvas.save(folder / name, quality=90)
    return truth


def hits(found: dict[str, list[Box]], truth: list[Face]) -> list[Face]:
    """The truth faces some found box holds (each box counted for one face at most)."""
    got = []
    for photo, boxes in found.items():
        free = list(boxes)
        for f in (f for f in truth if f.photo == photo):
            for box in free:
                t, r, b, left = box
                if left <= f.x <= r and t <= f.y <= b:
                    got.append(f)
                    free.remove(box)
                    break
    return got


def ours(settings: object) -> Callable[[Path], list[Box]]:
    from muskan_desktop import faces

    def find(path: Path) -> list[Box]:
        img = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
        boxes, _ = faces.find_faces(img, settings)  # type: ignore[arg-type]
        return [b.css() for b in boxes]

    return find


def cli_detection(path: Path) -> list[Box]:
    """face_recognition_cli.test_image's detection, step by step (boxes at full scale)."""
    import face_recognition

    arr = face_recognition.load_image_file(str(path))
    k = 1.0
    if max(arr.shape) > 1600:
        pil = Image.fromarray(arr)
        pil.thumbnail((1600, 1600), Image.Resampling.LANCZOS)
        k = arr.shape[1] / pil.width
        arr = np.array(pil)
    return [
        (int(t * k), int(r * k), int(b * k), int(left * k))
        for t, r, b, left in face_recognition.face_locations(arr, 1)
    ]


def full_size(path: Path) -> list[Box]:
    import face_recognition

    return list(face_recognition.face_locations(face_recognition.load_image_file(str(path)), 1))


def cli_counts(folder: Path, work: Path) -> dict[str, int]:
    """The face_recognition CLI itself on the folder: faces it reports per photo."""
    known = work / "known"
    known.mkdir(exist_ok=True)
    shutil.copy(FACES / "obama.jpg", known / "obama.jpg")
    cli = Path(sys.executable).parent / "face_recognition"
    out = subprocess.run(
        [str(cli), "--cpus", "1", str(known), str(folder)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts: dict[str, int] = {}
    for line in out.splitlines():
        if "," in line:
            path, who = line.rsplit(",", 1)
            name = Path(path).name
            counts[name] = counts.get(name, 0) + (who != "no_persons_found")
    return counts


def bench(
    groups: int,
    runs: int,
    work: Path,
    summary: Callable[[str], None] = lambda _s: None,
    side: int = 4000,
) -> None:
    from muskan_desktop.faces import DEFAULT_SETTINGS

    folder = work / "groups"
    truth = make_groups(groups, side, folder)
    photos = sorted(folder.glob("*.jpg"))
    print(
        f"\n== small faces: {len(truth)} faces ({EYES[0]:.0f}-{EYES[1]:.0f} px between the eyes) "
        f"in {groups} group photos of {side} x {side * 3 // 4} px =="
    )
    methods: dict[str, Callable[[Path], list[Box]]] = {
        "ours (480 px first look, then 640 px, up to 2 upsamplings)": ours(DEFAULT_SETTINGS),
        "ours without the first look (quick_side=0)": ours(replace(DEFAULT_SETTINGS, quick_side=0)),
        "face_recognition CLI's detection (1600 px, upsample 1)": cli_detection,
        "face_recognition.face_locations at full size, upsample 1": full_size,
    }
    import face_recognition  # noqa: F401  (its models load at import: not timed)

    from muskan_desktop.faces import find_faces

    find_faces(Image.new("RGB", (64, 64)))  # ours load on first use: not timed either
    times: dict[str, list[float]] = {m: [] for m in methods}
    found: dict[str, dict[str, list[Box]]] = {m: {} for m in methods}
    for _ in range(runs):  # interleaved, photo by photo
        for p in photos:
            for m, fn in methods.items():
                t = time.perf_counter()
                found[m][p.name] = fn(p)
                times[m].append(time.perf_counter() - t)
    lo = [f for f in truth if f.eyes < 60]
    hi = [f for f in truth if f.eyes >= 60]
    recall = {}
    for m in methods:
        got = hits(found[m], truth)
        n_lo, n_hi = sum(f in got for f in lo), sum(f in got for f in hi)
        boxes = sum(len(v) for v in found[m].values())
        recall[m] = len(got) / len(truth)
        print(
            f"{m:<58} recall {len(got)}/{len(truth)} = {recall[m]:.2f} "
            f"(40-60 px: {n_lo}/{len(lo)}, 60-80 px: {n_hi}/{len(hi)}; {boxes - len(got)} "
            f"other boxes)   median {statistics.median(times[m]):.2f} s a photo"
        )
    cli = cli_counts(folder, work)
    same = all(cli.get(p.name, 0) == len(found[list(methods)[2]][p.name]) for p in photos)
    print(
        "the face_recognition CLI itself, run on the same folder, reports "
        f"{sum(cli.values())} faces ({'the same count per photo' if same else 'NOT the same'} "
        "as its detection replayed above)"
    )
    names = list(methods)
    summary(
        f"small faces ({len(truth)} faces, 40-80 px between the eyes, {groups} group photos of "
        f"{side} px): recall ours {recall[names[0]]:.2f} (without the 480 px first look "
        f"{recall[names[1]]:.2f}), face_recognition CLI {recall[names[2]]:.2f}, "
        f"face_locations at full size {recall[names[3]]:.2f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=4)
    ap.add_argument("--side", type=int, default=4000)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    machine_load("start")
    work = Path(tempfile.mkdtemp(prefix="muskan-bench-faces-"))
    try:
        bench(args.groups, args.runs, work, side=args.side)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    machine_load("end")


if __name__ == "__main__":
    main()
