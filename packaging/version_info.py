"""The Windows version resource of the .exe files (File Explorer's Properties > Details).

Written at build time from muskan_desktop.__version__, so it never disagrees with
`muskan --version`, in the text form PyInstaller's `version=` file takes (a VSVersionInfo
expression; PyInstaller evaluates it on Windows, where its version-resource code runs).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPANY = "Muskan Desktop team"
DESCRIPTION = "Muskan Desktop: register of missing and found children"


def app_version(root: Path = ROOT) -> str:
    """muskan_desktop.__version__, read from the file (the build need not import the app)."""
    text = (root / "muskan_desktop" / "__init__.py").read_text("utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not found:
        raise ValueError("muskan_desktop/__init__.py has no __version__")
    return found.group(1)


def numeric(version: str) -> tuple[int, int, int, int]:
    """ "0.1.0" -> (0, 1, 0, 0); "1.2.0rc1" -> (1, 2, 0, 0): Windows wants four numbers."""
    nums = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3]]
    nums += [0] * (4 - len(nums))
    return nums[0], nums[1], nums[2], nums[3]


def version_text(exe_name: str, version: str | None = None) -> str:
    version = version or app_version()
    nums = numeric(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": f"MIT licence, {COMPANY}",
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": "Muskan Desktop",
        "ProductVersion": version,
    }
    table = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={nums},
    prodvers={nums},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{table}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0409, 1200])])
  ]
)
"""


def write_version_file(exe_name: str, folder: Path, version: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"version-{exe_name}.txt"
    path.write_text(version_text(exe_name, version), encoding="utf-8")
    return path
