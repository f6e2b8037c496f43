"""`muskan report ...`: the PDF reports from the command line (plugged into cli.py).

Light to import: ReportLab loads only when a report is made.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parsers(sub: Any) -> None:
    from .cli_args import iso_date

    rep = sub.add_parser("report", help="PDF reports: the review meeting, a missing-child notice")
    rs = rep.add_subparsers(dest="action", metavar="REPORT", required=True)

    rv = rs.add_parser(
        "review", help="the review meeting's report for a period (figures as `muskan stats`)"
    )
    rv.add_argument("--from", dest="date_from", type=iso_date, required=True, metavar="DATE")
    rv.add_argument("--to", dest="date_to", type=iso_date, required=True, metavar="DATE")
    rv.add_argument("--district", help="one district of the range (default: the whole range)")
    _common(rv)

    no = rs.add_parser(
        "notice", help="a one-page notice for circulation about a missing (or found) child"
    )
    no.add_argument("id", metavar="CASE_ID")
    _common(no)
    no.add_argument(
        "--with-guardian-phone",
        action="store_true",
        help="print the family's phone number on the notice (left out unless asked for)",
    )

    ma = rs.add_parser("match", help="the confirmation sheet of a confirmed face match")
    ma.add_argument("id", metavar="CANDIDATE_ID")
    _common(ma)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=["hi", "en"], required=True, help="Hindi or English")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")


def cmd_review(ctx: Any, args: argparse.Namespace) -> int:
    from .cli import _district, _fe
    from .errors import ValidationError
    from .reports import review_report

    if args.date_to < args.date_from:
        raise ValidationError([_fe("to", "the period ends before it starts")])

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\rpage {done}/{total}…", end="", file=sys.stderr, flush=True)

    out = review_report(
        ctx,
        args.date_from,
        args.date_to,
        _district(args.district),
        args.lang,
        Path(args.out),
        progress=progress,
    )
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    print(f"review report written to {out}")
    return 0


def cmd_notice(ctx: Any, args: argparse.Namespace) -> int:
    from .reports import notice

    out = notice(
        ctx, args.id, args.lang, Path(args.out), with_guardian_phone=args.with_guardian_phone
    )
    print(f"notice written to {out}")
    return 0


def cmd_match(ctx: Any, args: argparse.Namespace) -> int:
    from .reports import match_sheet

    out = match_sheet(ctx, args.id, args.lang, Path(args.out))
    print(f"match sheet written to {out}")
    return 0


COMMANDS: dict[tuple[str, str | None], Any] = {
    ("report", "review"): cmd_review,
    ("report", "notice"): cmd_notice,
    ("report", "match"): cmd_match,
}
# a report never creates an empty register (a wrong --home is an error, not a blank report)
READ_ONLY = set(COMMANDS)
