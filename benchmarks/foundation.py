"""Foundation benchmarks: demo generation of 100,000 cases, and name search over them.

    uv run python -m benchmarks.foundation [--cases 100000] [--runs 5]

Anchors: fixed goals, not a second program run beside ours (so there is nothing to
interleave): the Foundation issue's name search <= 50 ms in-process, and the 60 s we
consider acceptable for demo generation.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from muskan_desktop.context import open_context
from muskan_desktop.demo import DemoGenerator
from muskan_desktop.search import CaseFilter, SearchIndex

from .common import keyring_env, machine_load, median_time, report

QUERIES = [
    ("Latin, spelling variant", "Sunitha"),
    ("Devanagari", "सुनीता"),
    ("Latin variant, two words", "Suneeta Minj"),
    ("Devanagari, two words", "पूजा तिर्की"),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    machine_load("start")
    work = Path(tempfile.mkdtemp(prefix="muskan-bench-"))
    keyring_env(work)  # the register's key in a keyring, as on a desktop
    try:
        times = []
        home = None
        for i in range(args.runs):
            home = work / f"h{i}"
            ctx = open_context(home)
            t = time.perf_counter()
            DemoGenerator(ctx, seed=1).generate(args.cases)
            times.append(time.perf_counter() - t)
            ctx.db.close()
            if i < args.runs - 1:
                shutil.rmtree(home)
        times.sort()
        med = times[len(times) // 2]
        report(f"demo generation, {args.cases:,} cases", med, "of 60 s", 60.0, times)

        assert home is not None
        ctx = open_context(home)
        idx = SearchIndex.for_db(ctx.db)
        with ctx.db.read() as s:
            t = time.perf_counter()
            idx.vocabulary(s)
            print(
                "(name vocabulary loaded once per process: "
                f"{(time.perf_counter() - t) * 1000:.1f} ms)"
            )
            for label, q in QUERIES:
                f = CaseFilter(name=q)
                hits = idx.ids(s, f)

                def search(f: CaseFilter = f) -> None:
                    idx.ids(s, f)

                med, runs = median_time(search, runs=args.runs)
                report(
                    f"name search '{q}' ({label}): {len(hits)} hits",
                    med,
                    "of the 50 ms goal",
                    0.050,
                    runs,
                )
                page = CaseFilter(name=q, limit=100)

                def first_page(page: CaseFilter = page) -> None:
                    idx.search(s, page)
                    idx.count(s, page)

                med, runs = median_time(first_page, runs=args.runs)
                report(
                    "   first page (100 cases) + total count", med, "of the 50 ms goal", 0.050, runs
                )
        ctx.db.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    machine_load("end")


if __name__ == "__main__":
    main()
