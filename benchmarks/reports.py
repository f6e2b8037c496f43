"""The review report against `muskan stats` for the same arguments, side by side.

    uv run python -m benchmarks.reports [--home DIR] [--cases 100000] [--runs 5] [--lang hi]

Anchor (the Reports issue): a one-year review of a 100,000-case register in <= 2x the time
`muskan stats` takes for the same period, both measured in-process, interleaved run by run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from muskan_desktop.context import open_context
from muskan_desktop.reports import review_report
from muskan_desktop.stats import review_stats

from .common import keyring_env, machine_load, report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", help="an existing demo register to reuse")
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lang", default="hi", choices=["hi", "en"])
    args = ap.parse_args()
    machine_load("start")
    work = Path(tempfile.mkdtemp(prefix="muskan-bench-report-"))
    keyring_env(work)  # the register's key in a keyring, as on a desktop
    home = Path(args.home) if args.home else work / "h"
    if not args.home:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "muskan_desktop.cli",
                "--home",
                str(home),
                "demo",
                "--cases",
                str(args.cases),
            ],
            check=True,
        )
    ctx = open_context(home)
    end = ctx.today()
    start = end - dt.timedelta(days=365)
    stats_t, report_t = [], []
    pages = 0
    for i in range(args.runs):
        t = time.perf_counter()
        review_stats(ctx, start, end, None, record=False)
        stats_t.append(time.perf_counter() - t)
        out = work / f"review-{i}.pdf"
        t = time.perf_counter()
        review_report(ctx, start, end, None, args.lang, out)
        report_t.append(time.perf_counter() - t)
        if not pages:
            from pypdf import PdfReader

            pages = len(PdfReader(str(out)).pages)
    s, r = statistics.median(stats_t), statistics.median(report_t)
    report(f"stats for {start} to {end}", s, "(the anchor)", s, stats_t)
    report(f"review report ({args.lang}, {pages} pages)", r, "of stats (goal <= 2x)", s, report_t)
    # each report beside the stats run just before it: robust to the machine's load changing
    pairs = sorted(rt / st for rt, st in zip(report_t, stats_t, strict=True))
    print(
        f"median of the run-by-run ratios: {statistics.median(pairs):.2f}x of stats "
        f"(goal <= 2x)   (ratios: {', '.join(f'{p:.2f}' for p in pairs)})"
    )
    ctx.db.close()
    machine_load("end")


if __name__ == "__main__":
    main()
