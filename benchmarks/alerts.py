"""The alert badge's poll and the inbox listing on a district-sized register.

    uv run python -m benchmarks.alerts [--cases 100000] [--alerts 2000] [--runs 5]

The badge polls every few seconds, so `AlertService.state` must cost next to nothing; the
inbox lists every open alert with both children's essentials in one query. Anchor: the
engine's `list_alerts` (one query per alert for the two cases, their stations and verdicts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import statistics
import tempfile
from pathlib import Path

from sqlalchemy import select

from muskan_desktop.context import open_context
from muskan_desktop.demo import DemoGenerator
from muskan_desktop.ids import new_id
from muskan_desktop.match_alerts import AlertService
from muskan_desktop.models import Case, MatchCandidate, MatchVerdict

from .common import interleaved, keyring_env, machine_load, report


def seed_alerts(ctx, n: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(5)
    with ctx.db.read() as s:
        missing = list(s.scalars(select(Case.id).where(Case.kind == "missing").limit(20000)))
        found = list(s.scalars(select(Case.id).where(Case.kind == "found").limit(20000)))
    t0 = dt.datetime(2026, 1, 1)
    with ctx.db.write() as s:
        for i in range(n):
            cid = new_id()
            status = "open" if i % 10 else "rejected"
            s.add(
                MatchCandidate(
                    id=cid,
                    missing_case_id=rng.choice(missing),
                    found_case_id=rng.choice(found),
                    missing_photo_sha=hashlib.sha256(f"m{i}".encode()).hexdigest(),
                    found_photo_sha=hashlib.sha256(f"f{i}".encode()).hexdigest(),
                    distance=rng.uniform(0.2, 0.5),
                    score=0.6,
                    reasons=[{"code": "face_distance", "text": "face distance", "distance": 0.4}],
                    status=status,
                    created_at=t0 + dt.timedelta(minutes=i),
                )
            )
            if status != "open":
                s.add(
                    MatchVerdict(
                        id=new_id(), candidate_id=cid, verdict=status, note=None, by="b", at=t0
                    )
                )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--alerts", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    machine_load("start")
    with tempfile.TemporaryDirectory() as tmp:
        keyring_env(Path(tmp))  # the register's key in a keyring, as on a desktop
        ctx = open_context(Path(tmp) / "home", actor="bench")
        DemoGenerator(ctx).generate(args.cases)
        seed_alerts(ctx, args.alerts)
        svc = AlertService(ctx)
        n_open = svc.state().open_count
        print(f"{args.cases:,} cases, {args.alerts:,} alerts ({n_open:,} open)")
        t = interleaved(  # anchor, then each of ours, in turn, run after run
            {
                "anchor": lambda: svc.list_alerts("open"),
                "inbox": lambda: svc.inbox(),
                "district": lambda: svc.inbox(district="Surguja"),
                "state": lambda: svc.state(),
            },
            runs=args.runs,
        )
        med = {k: statistics.median(v) for k, v in t.items()}
        anchor = med["anchor"]
        report("list_alerts (engine, per-alert queries)", anchor, "anchor", anchor, t["anchor"])
        report(
            "inbox: every open alert, one query", med["inbox"], "vs list_alerts", anchor, t["inbox"]
        )
        report("inbox: one district", med["district"], "vs list_alerts", anchor, t["district"])
        report(
            "state: the badge's poll (count + change token)",
            med["state"],
            "vs list_alerts",
            anchor,
            t["state"],
        )
        ctx.db.close()
    machine_load("end")


if __name__ == "__main__":
    main()
