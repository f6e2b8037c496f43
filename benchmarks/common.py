"""Small helpers for the benchmarks: medians of repeated runs, printed against an anchor."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_time(
    fn: Callable[[], object], runs: int = 5, warmup: int = 1
) -> tuple[float, list[float]]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def interleaved(
    fns: dict[str, Callable[[], object]], runs: int = 5, warmup: int = 1
) -> dict[str, list[float]]:
    """Each function timed `runs` times, taking turns (a, b, c, a, b, c, ...), so a busy
    moment on the machine falls on every side alike; `warmup` untimed turns first."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    return times


def machine_load(when: str) -> tuple[float, float, float]:
    """Print (and return) the machine's load averages: a ratio measured on a busy machine
    says less, and the reader should know how busy it was."""
    load = os.getloadavg()
    print(
        f"machine load at {when}: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"(1, 5, 15 min; {os.cpu_count()} CPU cores)",
        flush=True,
    )
    return load


def report(label: str, seconds: float, anchor_label: str, anchor: float, runs: list[float]) -> None:
    spread = ", ".join(f"{x * 1000:.1f}" for x in runs)
    print(
        f"{label:<58} median {seconds * 1000:9.1f} ms   ratio {seconds / anchor:6.2f}x "
        f"{anchor_label}   (runs ms: {spread})"
    )


def keyring_env(work: Path) -> None:
    """Registers are encrypted under keys held in the OS keyring. This machine has none, so
    the benchmarks use the test suite's file keyring (one JSON file under `work`), the
    nearest stand-in for Windows Credential Manager: a key read, no passphrase derivation.
    MUSKAN_PASSPHRASE or PYTHON_KEYRING_BACKEND set by the caller take precedence."""
    if os.environ.get("MUSKAN_PASSPHRASE") or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return
    support = ROOT / "tests" / "support"
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(support), os.environ.get("PYTHONPATH")) if p
    )
    sys.path.insert(0, str(support))
    os.environ["PYTHON_KEYRING_BACKEND"] = "muskan_test_keyring.FileKeyring"
    os.environ["KEYRING_TEST_FILE"] = str(work / "keyring.json")
