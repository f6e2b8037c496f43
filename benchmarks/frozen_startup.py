"""Start-up of the frozen bundle (dist/muskan/), side by side with the same app from source.

    uv run python packaging/build.py            # once: builds dist/muskan/
    uv run python -m benchmarks.frozen_startup [--runs 5] [--cases 1000]

Measured, as medians of `--runs` interleaved runs after one warm-up run each (so the page
cache holds the files, as on a PC where Muskan was started before):
- `muskan --version`: the bootloader and the command line only (no Qt, no register);
- `muskan` to its main window shown (ui/app.py prints "window-shown" under
  MUSKAN_STARTUP_PROBE), and to the register's first page ("register-ready"), on a demo
  register of `--cases` cases made by the frozen app itself.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import machine_load, report
from .ui_startup import time_until

ROOT = Path(__file__).resolve().parent.parent
EXE = ROOT / "dist" / "muskan" / ("muskan.exe" if sys.platform == "win32" else "muskan")


def time_run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--exe", default=str(EXE), help="the frozen muskan (default dist/muskan/)")
    args = ap.parse_args()
    machine_load("start")
    exe = Path(args.exe)
    if not exe.is_file():
        raise SystemExit(f"{exe} not found: build it first (uv run python packaging/build.py)")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "MUSKAN_STARTUP_PROBE": "1",
        # the benchmark's own throw-away register: on a PC with no keyring (a headless
        # Linux box) its key is wrapped with this passphrase instead of asking for one
        "MUSKAN_PASSPHRASE": os.environ.get("MUSKAN_PASSPHRASE", "frozen-startup-benchmark"),
    }
    home = Path(tempfile.mkdtemp(prefix="muskan-frozen-")) / "h"
    subprocess.run(
        [str(exe), "--home", str(home), "demo", "--cases", str(args.cases)], check=True, env=env
    )
    frozen = [str(exe), "--home", str(home)]
    source = [sys.executable, "-m", "ui.launch", "--home", str(home)]
    for cmd in (frozen, source):  # warm-up: page cache, the face-detector cache, .pyc files
        time_run([*cmd, "--version"], env)
        time_until(cmd, "register-ready", env)
    runs: dict[str, list[float]] = {
        k: [] for k in ("fv", "sv", "fshown", "sshown", "fready", "sready")
    }
    for _ in range(args.runs):  # interleaved, so both feel the same machine load
        runs["fv"].append(time_run([*frozen, "--version"], env))
        runs["sv"].append(time_run([*source, "--version"], env))
        runs["fshown"].append(time_until(frozen, "window-shown", env))
        runs["sshown"].append(time_until(source, "window-shown", env))
        runs["fready"].append(time_until(frozen, "register-ready", env))
        runs["sready"].append(time_until(source, "register-ready", env))
    med = {k: statistics.median(v) for k, v in runs.items()}
    report("from source: muskan --version", med["sv"], "(the anchor)", med["sv"], runs["sv"])
    report("frozen: muskan --version", med["fv"], "of from source", med["sv"], runs["fv"])
    report(
        "from source: muskan to its main window shown",
        med["sshown"],
        "(the anchor)",
        med["sshown"],
        runs["sshown"],
    )
    report(
        "frozen: muskan to its main window shown",
        med["fshown"],
        "of from source",
        med["sshown"],
        runs["fshown"],
    )
    report(
        f"frozen: muskan to the register's first page ({args.cases:,} cases)",
        med["fready"],
        "of from source",
        med["sready"],
        runs["fready"],
    )
    machine_load("end")
    sys.stdout.flush()
    shutil.rmtree(home.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
