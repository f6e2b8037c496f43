"""Small helpers for the benchmarks: medians of repeated runs, printed against an anchor."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


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


def report(label: str, seconds: float, anchor_label: str, anchor: float, runs: list[float]) -> None:
    spread = ", ".join(f"{x * 1000:.1f}" for x in runs)
    print(
        f"{label:<58} median {seconds * 1000:9.1f} ms   ratio {seconds / anchor:6.2f}x "
        f"{anchor_label}   (runs ms: {spread})"
    )
