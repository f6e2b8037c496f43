"""Command line for photos, face-match leads and alerts (a plug-in of muskan_desktop.cli).

    muskan photos add CASE_ID PHOTO... [--taken-on D] [--face N] [--json]
    muskan match PHOTO [--top K] [--kind missing|found] [--max-distance D] [--face N] [--json]
    muskan alerts list [--status S|all] [--json]
    muskan alerts verdict ALERT_ID confirmed|rejected|inconclusive --note TEXT
    muskan faces import-folder DIR [--manifest FILE] [--kind K] [--district D] [--station S]
          [--workers N] [--json]

Kept light to import: dlib and face_recognition load only when a command needs a face.
A lead is never an identification; the output says "lead" and "candidate".
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .cli_args import positive_int

VERDICTS = ("confirmed", "rejected", "inconclusive")
STATUSES = ("open", *VERDICTS, "all")


def _face_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a face number (1 = leftmost face)")
    return int(text)


def _distance(text: str) -> float:
    try:
        d = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0.0 < d <= 2.0:
        raise argparse.ArgumentTypeError("a face distance lies between 0 and 2")
    return d


def add_parsers(sub: Any) -> None:
    face_help = "which face, counted from the left, in a photo of several people"

    photos = sub.add_parser("photos", help="attach photos to a case (faces are checked)")
    ps = photos.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = ps.add_parser(
        "add", help="attach photos; encodes the face and raises match alerts for close leads"
    )
    add.add_argument("case_id", metavar="CASE_ID")
    add.add_argument("photos", nargs="+", metavar="PHOTO")
    add.add_argument("--taken-on", metavar="YYYY-MM-DD", help="when the photos were taken")
    add.add_argument("--face", type=_face_number, metavar="N", help=face_help)
    add.add_argument("--json", action="store_true")

    match = sub.add_parser("match", help="rank the register's cases for a photo (leads only)")
    match.set_defaults(action=None)
    match.add_argument("photo", metavar="PHOTO")
    match.add_argument("--top", type=positive_int, default=10, metavar="K")
    match.add_argument("--kind", choices=["missing", "found"], help="only cases of this kind")
    match.add_argument(
        "--max-distance",
        type=_distance,
        metavar="D",
        help="list leads up to this face distance (default 0.6)",
    )
    match.add_argument("--face", type=_face_number, metavar="N", help=face_help)
    match.add_argument("--json", action="store_true")

    alerts = sub.add_parser("alerts", help="face-match alerts to review, and verdicts")
    als = alerts.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = als.add_parser("list", help="open alerts (leads to review), closest first")
    ls.add_argument("--status", choices=STATUSES, default="open")
    ls.add_argument("--json", action="store_true")
    v = als.add_parser("verdict", help="record the officer's verdict on an alert")
    v.add_argument("alert_id", metavar="ALERT_ID")
    v.add_argument("verdict", choices=VERDICTS)
    v.add_argument("--note", required=True, help="what was checked (required)")

    faces = sub.add_parser("faces", help="batch intake of photos")
    fs = faces.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = fs.add_parser(
        "import-folder",
        help="add a folder of photos listed in its manifest.csv (one row per photo: "
        "file and case_id, or file and a new case's fields); resumable",
    )
    imp.add_argument("folder", metavar="DIR")
    imp.add_argument("--manifest", metavar="FILE.csv", help="default: DIR/manifest.csv")
    imp.add_argument(
        "--kind", choices=["missing", "found"], help="kind of new cases without a kind column"
    )
    imp.add_argument("--district", help="district of new cases without one")
    imp.add_argument("--station", help="station of new cases without one")
    imp.add_argument(
        "--workers", type=positive_int, metavar="N", help="processes (default: one per CPU core)"
    )
    imp.add_argument("--json", action="store_true")


def _out_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def cmd_photos_add(ctx: Any, args: argparse.Namespace) -> int:
    from .errors import MuskanError
    from .matching import MatchService

    svc = MatchService(ctx)
    results, code = [], 0
    for path in args.photos:
        try:
            res = svc.add_photo(args.case_id, path, taken_on=args.taken_on, face=args.face)
        except MuskanError as exc:
            from .errors import ValidationError

            if isinstance(exc, ValidationError):
                for e in exc.errors:
                    print(f"error: {e.field}: {e.message}", file=sys.stderr)
            else:
                print(f"error: {exc.message}", file=sys.stderr)
            code = max(code, exc.exit_code)
            results.append({"file": path, "error": getattr(exc, "code", None) or exc.message})
            if exc.exit_code == 3:  # unknown case: the other photos would fail alike
                break
            continue
        results.append({"file": path} | res.to_json())
        if not args.json:
            q = res.face["quality"]
            faces = res.face["faces_found"]
            which = f"face {res.face['index']} of {faces}" if faces > 1 else "face found"
            state = "added" if res.new_photo else "already attached; face re-checked"
            print(
                f"{path}: {state} ({which}, sharpness {q['sharpness']:.0f}, "
                f"turned {abs(q['yaw']):.0f}°)"
            )
            for a in res.alerts:
                print(
                    f"  alert {a['alert_id']}: lead case {a['case_id']}, distance {a['distance']}"
                )
    if args.json:
        _out_json(results)
    return code


def cmd_match(ctx: Any, args: argparse.Namespace) -> int:
    from .intake import search_by_photo

    leads = search_by_photo(
        ctx,
        args.photo,
        top=args.top,
        face=args.face,
        kind=args.kind,
        max_distance=args.max_distance,
    ).leads
    if args.json:
        _out_json([lead.to_json() for lead in leads])
        return 0
    if not leads:
        print("no leads: no stored face is close enough to this one", file=sys.stderr)
        return 0
    for i, lead in enumerate(leads, 1):
        print(
            f"{i:>2}. {lead.case_id}  {lead.kind:<7} {lead.sex} {lead.age_years or '?':>2}  "
            f"distance {lead.distance:.2f}  {lead.district:<14} {lead.name or '(no name)'}"
        )
    return 0


def cmd_alerts_list(ctx: Any, args: argparse.Namespace) -> int:
    from .intake import list_alerts

    status = None if args.status == "all" else args.status
    alerts = list_alerts(ctx, status)
    if args.json:
        _out_json(alerts)
        return 0
    if not alerts:
        print(f"no {args.status} alerts" if status else "no alerts", file=sys.stderr)
        return 0
    for a in alerts:
        m, f = a["missing"], a["found"]
        print(f"alert {a['alert_id']}  [{a['status']}]  distance {a['distance']:.2f}")
        print(
            f"  missing {m['case_id']}  {m['name'] or '(no name)'}, {m['sex']} "
            f"{m['age_years'] or '?'}; last seen {m['last_seen_on'] or '?'}; "
            f"{m['station'] or '?'} ({m['district']}); IO {m['investigating_officer'] or '?'}"
        )
        home = ", ".join(x for x in (f["cci_name"], f["cci_address"], f["cci_contact"]) if x)
        print(
            f"  found   {f['case_id']}  {f['name'] or '(no name)'}, {f['sex']} "
            f"{f['age_years'] or '?'}; found {f['found_on'] or '?'}"
            f"{' at ' + f['found_place'] if f['found_place'] else ''}; "
            f"{home or f['station'] or '?'} ({f['district']})"
        )
        print("  why: " + "; ".join(r["text"] for r in a["reasons"]))
    return 0


def cmd_alerts_verdict(ctx: Any, args: argparse.Namespace) -> int:
    from .match_alerts import AlertService

    cand = AlertService(ctx).verdict(args.alert_id, args.verdict, args.note)
    print(f"alert {cand.id} is now {cand.status}")
    return 0


def cmd_faces_import_folder(ctx: Any, args: argparse.Namespace) -> int:
    from .match_batch import import_folder

    report = import_folder(
        ctx,
        args.folder,
        manifest=args.manifest,
        kind=args.kind,
        station=args.station,
        district=args.district,
        workers=args.workers,
        progress=_progress,
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        _out_json(report.to_json())
    else:
        for e in report.errors:
            print(str(e), file=sys.stderr)
        print(
            f"{report.imported} photos added, {report.skipped} already in the register, "
            f"{len({e.row for e in report.errors})} rows refused, "
            f"{len(report.alerts)} match alerts raised"
        )
    return 5 if report.errors else 0


def prepare_faces_import_folder(args: argparse.Namespace, home: Any) -> None:
    """Start the encoding workers (dlib's start-up) while the register is being opened."""
    from .match_batch import prestart_workers

    prestart_workers(home, args.workers)


# Started before the register is opened (see cli._dispatch).
PREPARE: dict[tuple[str, str | None], Any] = {
    ("faces", "import-folder"): prepare_faces_import_folder,
}

COMMANDS: dict[tuple[str, str | None], Any] = {
    ("photos", "add"): cmd_photos_add,
    ("match", None): cmd_match,
    ("alerts", "list"): cmd_alerts_list,
    ("alerts", "verdict"): cmd_alerts_verdict,
    ("faces", "import-folder"): cmd_faces_import_folder,
}

# These need cases that exist: on an empty data folder they say so instead of creating one.
READ_ONLY = {
    ("photos", "add"),
    ("match", None),
    ("alerts", "list"),
    ("alerts", "verdict"),
}
