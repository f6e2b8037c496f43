"""`muskan enroll` and `muskan sync` (plugged into cli.py).

Exit codes of `muskan sync` (also in README; 1-8 are the other commands'): 0 done; 10 the
server cannot be reached or answered errors (the work stays queued; the next round retries);
11 the laptop's credential was refused, or its access revoked (then the round removed the
case data from this laptop: register, photos, backups and their keys; an empty register
takes its place, and work not yet sent is lost unless the administrator allowed a hand-in;
the message says how much); 12 this version is too old for
the server (upgrade; the queue is kept); 13 not enrolled, or no keyring for the credential;
14 done, but some entries came back rejected (`muskan sync --status` lists them).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

REJECTED_EXIT = 14


def add_parsers(sub: Any) -> None:
    en = sub.add_parser("enroll", help="enroll this laptop with the central server (once)")
    en.add_argument("--server", required=True, metavar="URL", help="e.g. https://muskan.example")
    en.add_argument("--code", required=True, help="the one-time code from the administrator")
    en.add_argument("--label", help="a name for this laptop on the server")

    sy = sub.add_parser("sync", help="one sync round with the server, with progress")
    sy.add_argument("--status", action="store_true", help="show the queue and exit")
    sy.add_argument("--json", action="store_true", help="print the result as JSON")


def cmd_enroll(ctx: Any, args: argparse.Namespace) -> int:
    from .sync.enroll import enroll

    out = enroll(ctx, args.server, args.code, label=args.label)
    print(
        f"enrolled as device {out['device_id']} of station {out['station']}; "
        f"{out['queued']} existing records queued for the first sync",
        file=sys.stderr,
    )
    return 0


def cmd_sync(ctx: Any, args: argparse.Namespace) -> int:
    from .sync.client import SyncClient, counts, oldest_pending

    if args.status:
        from sqlalchemy import select

        from .sync.conflicts import open_conflicts
        from .sync.tables import outbox

        n, oldest = oldest_pending(ctx.db)
        with ctx.db.read() as s:
            bad = s.execute(
                select(outbox.c.seq, outbox.c.entity, outbox.c.row_id, outbox.c.receipt)
                .where(outbox.c.state.in_(["rejected", "quarantined"]))
                .order_by(outbox.c.seq)
            ).all()
        data = {
            "pending": n,
            "oldest_pending": oldest.isoformat() if oldest else None,
            "states": counts(ctx.db),
            "rejected": [
                {"seq": q, "entity": e, "id": r, "reason": (rc or {}).get("reason")}
                for q, e, r, rc in bad
            ],
            "conflicts": [
                {
                    "id": c.id,
                    "case_id": c.case_id,
                    "field": c.field,
                    "kept": c.kept,
                    "other": c.lost,
                    "other_by": c.lost_by,
                }
                for c in open_conflicts(ctx.db)
            ],
        }
        print(json.dumps(data, indent=1))
        return 0

    def progress(stage: str, done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{stage}: {done}/{total}   ", end="", file=sys.stderr, flush=True)

    res = SyncClient(ctx).sync_once(progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    summary = {
        "pushed": res.pushed,
        "applied": res.applied,
        "conflicts": res.conflicts,
        "rejected": res.rejected,
        "pulled": res.pulled,
        "photos_up": res.photos_up,
        "photos_down": res.photos_down,
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"sent {res.pushed} ({res.applied} applied, {res.conflicts} with conflicts kept "
            f"for review, {res.rejected} rejected); received {res.pulled}; photos "
            f"{res.photos_up} up, {res.photos_down} down",
            file=sys.stderr,
        )
    return REJECTED_EXIT if res.rejected else 0


COMMANDS = {("enroll", None): cmd_enroll, ("sync", None): cmd_sync}
READ_ONLY: set[tuple[str, str | None]] = {("sync", None)}
