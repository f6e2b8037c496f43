"""Build the release: the one-folder bundle (PyInstaller), then on Windows the installer.

    uv run python packaging/build.py [--self-test] [--clean] [--require-installer]

1. PyInstaller runs packaging/muskan.spec: dist/muskan/ (muskan[.exe], and on Windows also
   MuskanDesktop.exe), everything the app needs, no Python install needed on the PC.
2. --self-test: runs the frozen `muskan --self-test` off screen; the build fails if it does.
3. On Windows, if Inno Setup 6 is installed (ISCC.exe on PATH or in Program Files), compiles
   packaging/muskan.iss into dist/installer/MuskanDesktop-Setup-<version>.exe. Without it the
   bundle is still built (--require-installer makes that an error, as in CI). On Linux and
   macOS only the bundle is built: Inno Setup is a Windows program.

Build output (build/, dist/) is ignored by git.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
sys.path.insert(0, str(PACKAGING))

import contents  # noqa: E402
from version_info import app_version, numeric  # noqa: E402

DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
INSTALLER_DIR = DIST / "installer"
WINDOWS = sys.platform == "win32"


def bundle_dir() -> Path:
    return DIST / contents.BUNDLE_DIR


def console_exe() -> Path:
    return bundle_dir() / (contents.EXE_NAME + (".exe" if WINDOWS else ""))


def run_pyinstaller(clean: bool) -> None:
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(PACKAGING / "muskan.spec"),
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
    ]
    if clean:
        cmd.append("--clean")
    print("building the bundle:", " ".join(cmd[2:]), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def self_test() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    print(f"self-test of {console_exe().relative_to(ROOT)}:", flush=True)
    result = subprocess.run([str(console_exe()), "--self-test"], env=env, cwd=DIST)
    if result.returncode != 0:
        raise SystemExit(f"the frozen self-test failed (exit code {result.returncode})")


def find_iscc() -> Path | None:
    """Inno Setup 6's command-line compiler, if installed."""
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for var in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        base = os.environ.get(var)
        if not base:
            continue
        for sub in ("Inno Setup 6", os.path.join("Programs", "Inno Setup 6")):
            cand = Path(base) / sub / "ISCC.exe"
            if cand.is_file():
                return cand
    return None


def build_installer(iscc: Path, version: str) -> Path:
    INSTALLER_DIR.mkdir(parents=True, exist_ok=True)
    cmd = [
        str(iscc),
        "/Qp",  # quiet, with progress
        f"/DAppVersion={version}",
        "/DAppVersionNumeric=" + ".".join(str(n) for n in numeric(version)),
        f"/DBundleDir={bundle_dir()}",
        f"/O{INSTALLER_DIR}",
        str(PACKAGING / "muskan.iss"),
    ]
    print("building the installer:", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=PACKAGING)
    return INSTALLER_DIR / f"MuskanDesktop-Setup-{version}.exe"


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clean", action="store_true", help="drop PyInstaller's cache first")
    ap.add_argument("--self-test", action="store_true", help="run the frozen self-test")
    ap.add_argument(
        "--require-installer",
        action="store_true",
        help="fail when the installer cannot be built (no Windows, or no Inno Setup)",
    )
    args = ap.parse_args(argv)
    version = app_version()
    t0 = time.perf_counter()
    run_pyinstaller(args.clean)
    mb = size_of(bundle_dir()) / 1e6
    print(
        f"bundle: {bundle_dir().relative_to(ROOT)} ({mb:.0f} MB) "
        f"in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    if args.self_test:
        self_test()
    if not WINDOWS:
        print("not Windows: the installer (Inno Setup) is built on Windows only")
        return 1 if args.require_installer else 0
    iscc = find_iscc()
    if iscc is None:
        print("Inno Setup 6 (ISCC.exe) not found: install it (choco install innosetup)")
        return 1 if args.require_installer else 0
    out = build_installer(iscc, version)
    print(f"installer: {out.relative_to(ROOT)} ({out.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
