"""The `muskan` command line: the same services the window uses, for scripts and IT cells.

Exit codes: 0 done; 1 a problem to fix (message on stderr); 2 bad input (validation or
usage); 3 unknown id; 4 the register cannot be opened or written; 5 an import refused
some rows, or `cases add --photo` a photo that cannot be read (the good ones went in).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .cli_args import iso_date, positive_int
from .csvfile import MAX_BYTES, MAX_ROW_CHARS, MAX_ROWS
from .errors import MuskanError, ValidationError, disk_full_error
from .paths import data_home
from .validation import FIELDS, NOTE_MAX_LEN

log = logging.getLogger("muskan")


def key_value(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"'{text}' is not FIELD=VALUE")
    k, v = text.split("=", 1)
    return k.strip().replace("-", "_"), v


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="muskan",
        description="Muskan Desktop: the station's register of missing and found children. "
        "Without a command, opens the desktop app.",
    )
    p.add_argument("--version", action="version", version=f"Muskan Desktop {__version__}")
    p.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation in a temporary data folder (register, face matching, "
        "Hindi PDF, main window) and exit: 0 if every check passed",
    )
    p.add_argument(
        "--home",
        metavar="DIR",
        help="data folder (default: MUSKAN_HOME or the per-user data folder)",
    )
    p.add_argument(
        "--officer",
        help="the officer logging in (default: MUSKAN_OFFICER or the OS user); the "
        "password is asked, or read from MUSKAN_PASSWORD",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    d = sub.add_parser("demo", help="fill an empty data folder with realistic demo cases")
    d.add_argument("--cases", type=int, default=1000, metavar="N")
    d.add_argument("--seed", type=int, default=1, metavar="S")

    cases = sub.add_parser("cases", help="add, list, show, edit, import and export cases")
    cs = cases.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = cs.add_parser("add", help="add one case; prints its id")
    add.add_argument("--kind", required=True, choices=["missing", "found"])
    add.add_argument("--name", help="the child's name, Latin or Devanagari script")
    add.add_argument("--name-hi", help="the name in Devanagari, if --name is in Latin")
    add.add_argument("--sex", required=True, choices=["M", "F", "X"])
    add.add_argument("--age", help="age in years (approximate is fine)")
    add.add_argument("--dob", help="date of birth, YYYY-MM-DD")
    add.add_argument("--district")
    add.add_argument("--station")
    add.add_argument(
        "--photo",
        action="append",
        default=[],
        metavar="FILE",
        help="a photo of the child (repeatable), added after the case is saved: one with a "
        "usable face is encoded and matched; one without is kept unmatched (a warning); one "
        "that cannot be read is refused (exit code 5: the case and the other photos are saved)",
    )
    add.add_argument(
        "--face",
        type=positive_int,
        metavar="N",
        help="which face is the child's when a photo shows several (1 = leftmost)",
    )
    add.add_argument(
        "--set",
        action="append",
        type=key_value,
        default=[],
        metavar="FIELD=VALUE",
        help="any other case field (see README), repeatable",
    )
    add.add_argument("--json", action="store_true")

    ls = cs.add_parser("list", help="list cases matching filters")
    _filters(ls)
    ls.add_argument(
        "--limit",
        type=positive_int,
        metavar="N",
        help="list at most N cases (at least 1; default 50, all with --json)",
    )
    ls.add_argument("--json", action="store_true")

    show = cs.add_parser("show", help="show one case with its history")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")

    edit = cs.add_parser("edit", help="change fields of a case")
    edit.add_argument("id")
    edit.add_argument(
        "--set", action="append", type=key_value, required=True, metavar="FIELD=VALUE"
    )

    step = cs.add_parser(
        "step",
        help="move a case along its lifecycle (trace, recover, restore, identify, close, reopen)",
    )
    step.add_argument("id")
    step.add_argument("step_action", metavar="STEP")
    step.add_argument("details", nargs="*", type=key_value, metavar="FIELD=VALUE")

    lg = cs.add_parser("log", help="add a tracing-effort entry (what was done)")
    lg.add_argument("id")
    lg.add_argument("text", help=f"what was done (at most {NOTE_MAX_LEN:,} characters)")
    lg.add_argument("--on", type=iso_date, help="date it was done (default today)")

    risk = cs.add_parser("risk", help="record the SHO's risk assessment")
    risk.add_argument("id")
    risk.add_argument("--level", required=True, choices=["low", "medium", "high"])
    risk.add_argument("--check", default="", help="comma-separated checklist items")
    risk.add_argument(
        "--review-due",
        type=iso_date,
        help="YYYY-MM-DD, from the day of the assessment to a year later "
        "(default 7, 15 or 30 days by level)",
    )
    risk.add_argument("--note", help=f"at most {NOTE_MAX_LEN:,} characters")

    imp = cs.add_parser(
        "import",
        help="import a CSV register; every bad row is reported",
        description="Import a CSV register (UTF-8). Every bad row is reported by row number and "
        f"column and left out; the good rows go in. At most {MAX_BYTES // 1_000_000} MB and "
        f"{MAX_ROWS:,} rows in one file (split a bigger one); a row of more than "
        f"{MAX_ROW_CHARS:,} characters, or with a quote that is never closed, is left out. A "
        "file refused as a whole (not UTF-8 text, binary, too large) imports nothing and says "
        "so.",
    )
    imp.add_argument("file", help="the CSV file (columns: see README)")
    imp.add_argument("--errors", metavar="OUT.csv", help="also save the bad-row report here")
    imp.add_argument("--json", action="store_true")

    exp = cs.add_parser("export", help="export cases to CSV or XLSX")
    exp.add_argument("file")
    _filters(exp)

    st = sub.add_parser("stats", help="the review meeting's figures for a period")
    st.add_argument("--from", dest="date_from", type=iso_date, required=True)
    st.add_argument("--to", dest="date_to", type=iso_date, required=True)
    st.add_argument("--district")
    st.add_argument("--json", action="store_true")

    sta = sub.add_parser("station", help="this register's own station")
    stas = sta.add_subparsers(dest="action", metavar="ACTION", required=True)
    sset = stas.add_parser("set", help="set the station (picked from the range's list)")
    sset.add_argument("--district", required=True)
    sset.add_argument("--station", required=True)
    stas.add_parser("show", help="show the station")
    stas.add_parser("list", help="list the stations this build knows")
    for module in _plugins():
        module.add_parsers(sub)
    return p


# Command groups that live in their own modules (kept light to import: no dlib or ReportLab
# at module level). Each has add_parsers(subparsers), COMMANDS {(command, action): fn(ctx,
# args)} and READ_ONLY (commands that must not create an empty register); optionally PREPARE
# {(command, action): fn(args, home)}, run before the register is opened (slow set-up).
PLUGINS = (
    "muskan_desktop.report_cli",
    "muskan_desktop.match_cli",
    "muskan_desktop.security_cli",
    "muskan_desktop.sync_cli",
)


def _plugins() -> list[Any]:
    import importlib

    out = []
    for name in PLUGINS:
        try:
            out.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return out


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=["missing", "found"])
    p.add_argument("--status", action="append", default=[], help="repeatable")
    p.add_argument("--district")
    p.add_argument("--station")
    p.add_argument("--sex", choices=["M", "F", "X"])
    p.add_argument("--age-band", choices=["0-5", "6-11", "12-14", "15-17"])
    p.add_argument("--from", dest="date_from", type=iso_date, help="reported on or after")
    p.add_argument("--to", dest="date_to", type=iso_date, help="reported on or before")
    p.add_argument("--name", help="name in either script; spelling variants are found too")


def main(argv: Sequence[str] | None = None, open_gui: Callable[[Path], int] | None = None) -> int:
    """Run one command. Without a command, `open_gui` (given by the `muskan` launcher in
    ui/, since the core never imports the front end) opens the desktop app."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:  # `muskan` runs it before this point, with the window check
        from .selftest import run

        return run(window=None)
    home = data_home(args.home)
    if args.command is None:
        if open_gui is None:
            parser.print_help()
            return 0
        return open_gui(home)
    try:
        return _dispatch(args, home)
    except ValidationError as exc:
        for e in exc.errors:
            print(f"error: {e.field}: {e.message}", file=sys.stderr)
        return exc.exit_code
    except MuskanError as exc:
        exc = disk_full_error(exc) or exc  # one message for a full disk, whoever noticed it
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `muskan cases list --json | head`: the reader left early
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except Exception as exc:
        # A full disk is the user's to fix, wherever it surfaced (a driver error, an OSError
        # from a file write); anything else is a bug and keeps its traceback.
        full = disk_full_error(exc, home)
        if full is None:
            raise
        print(f"error: {full.message}", file=sys.stderr)
        return full.exit_code


READ_ONLY = {
    ("cases", "list"),
    ("cases", "show"),
    ("cases", "export"),
    ("stats", None),
    ("cases", "edit"),
    ("cases", "step"),
    ("cases", "log"),
    ("cases", "risk"),
    ("station", "show"),
}


def _dispatch(args: argparse.Namespace, home: Path) -> int:
    from .context import open_context
    from .logs import setup_file_logging

    action = getattr(args, "action", None)
    if args.command == "station" and action == "list":
        return _station_list()
    # Commands that only read or change existing cases never create an empty register.
    commands = dict(COMMANDS)
    read_only = set(READ_ONLY)
    prepare: dict[tuple[str, str | None], Any] = {}
    for module in _plugins():
        commands.update(module.COMMANDS)
        read_only |= set(module.READ_ONLY)
        prepare.update(getattr(module, "PREPARE", {}))
    create = (args.command, action) not in read_only
    if (start := prepare.get((args.command, action))) is not None:
        start(args, home)  # slow set-up that needs no register (worker processes) meanwhile
    from .keystore import has_keys
    from .security_cli import ask_password

    if has_keys(home):  # an existing register: failed logins and lockouts are logged too
        setup_file_logging(home)
    # With officer accounts on the register, every command logs in: the password comes
    # from MUSKAN_PASSWORD or is asked on the terminal (never an argument).
    ctx = open_context(home, create=create, actor=args.officer, password=ask_password)
    setup_file_logging(home)
    try:
        return int(commands[(args.command, action)](ctx, args))
    finally:
        ctx.db.close()


def _out_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")


def cmd_demo(ctx: Any, args: argparse.Namespace) -> int:
    from .demo import DemoGenerator

    if args.cases < 1:
        raise ValidationError([_fe("cases", "must be at least 1")])
    n = DemoGenerator(ctx, args.seed).generate(args.cases, progress=_progress)
    print(f"\r{n} demo cases written to {ctx.home}", file=sys.stderr)
    return 0


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def _fe(field: str, message: str) -> Any:
    from .errors import FieldError

    return FieldError(field, "bad_value", message)


def cmd_cases_add(ctx: Any, args: argparse.Namespace) -> int:
    """The case is saved first, then each photo (intake.add_case_with_photos): a photo
    without a usable face is kept unmatched (a warning), one that cannot be read is refused
    (exit 5: the case and the other photos went in)."""
    from .cases import CaseService
    from .intake import REFUSED, PhotoStepFailed, add_case_with_photos
    from .names import script_of

    fields: dict[str, Any] = {"kind": args.kind, "sex": args.sex}
    if args.name:
        fields["name_deva" if script_of(args.name) == "deva" else "name_latin"] = args.name
    if args.name_hi:
        fields["name_deva"] = args.name_hi
    if args.age is not None:
        fields["age_years"] = args.age
    if args.dob:
        fields["date_of_birth"] = args.dob
    fields.update(dict(args.set))
    svc = CaseService(ctx)
    clean = svc.validate_new(fields)
    dups = svc.find_duplicates(clean, district=_district(args.district))
    faces = {str(p): args.face for p in args.photo} if args.face else None
    try:
        intake = add_case_with_photos(
            ctx, fields, args.photo, faces, station=args.station, district=args.district
        )
    except PhotoStepFailed as exc:
        _print_added(args, exc.case_id, dups, exc.done)
        why = exc.reason()
        print(
            f"error: case {exc.case_id} was saved, but not the photo(s) "
            + ", ".join(exc.pending)
            + (f" ({why})" if why else "")
            + f"; add them with `muskan photos add {exc.case_id} FILE...`",
            file=sys.stderr,
        )
        if why is None:
            raise exc.cause from None  # a bug: its traceback
        full = disk_full_error(exc.cause)
        return full.exit_code if full is not None else int(getattr(exc.cause, "exit_code", 1))
    _print_added(args, intake.case_id, dups, intake.photos)
    return 5 if any(p.status == REFUSED for p in intake.photos) else 0


def _print_added(
    args: argparse.Namespace, case_id: str, dups: list[Any], photos: list[Any]
) -> None:
    from .intake import ENCODED, KEPT, REFUSED

    for d in dups:
        print(
            f"warning: may repeat case {d.case_id} ({d.reason.replace('_', ' ')})", file=sys.stderr
        )
    for p in photos:
        if p.status == ENCODED and not args.json:
            n = len(p.result.alerts) if p.result is not None else 0
            print(f"{p.file}: added, face encoded ({n} match alert(s))", file=sys.stderr)
        elif p.status == KEPT:
            print(
                f"warning: {p.file}: kept with the case but not used for matching: {p.message}",
                file=sys.stderr,
            )
        elif p.status == REFUSED:
            print(f"error: {p.file}: not saved: {p.message}", file=sys.stderr)
    if args.json:
        _out_json(
            {
                "id": case_id,
                "possible_duplicates": [{"case_id": d.case_id, "reason": d.reason} for d in dups],
                "photos": [p.to_json() for p in photos],
            }
        )
        return
    print(case_id)
    alerts = sum(len(p.result.alerts) for p in photos if p.result is not None)
    if alerts:
        print(f"{alerts} match alert(s) raised: see `muskan alerts list`", file=sys.stderr)


def _district(text: str | None) -> str | None:
    from . import places

    if not text:
        return None
    d = places.find_district(text)
    if d is None:
        raise ValidationError(
            [
                _fe(
                    "district",
                    f"'{text}' is not a district of the range: "
                    + ", ".join(x.en for x in places.districts()),
                )
            ]
        )
    return d.en


def _case_filter(ctx: Any, args: argparse.Namespace) -> Any:
    from . import places
    from .search import CaseFilter

    station_id = None
    if args.station:
        from sqlalchemy import select

        from .models import Station

        hits = places.find_station(args.station, args.district)
        with ctx.db.read() as s:
            station_id = (
                s.scalar(select(Station.id).where(Station.code.in_([h.code for h in hits])))
                if hits
                else None
            )
        if not hits:
            raise ValidationError([_fe("station", f"no station '{args.station}'")])
        station_id = station_id or "-"
    from .domain import Status

    for st in args.status:
        if st not in tuple(Status):
            raise ValidationError(
                [_fe("status", f"'{st}' is not one of: " + ", ".join(s.value for s in Status))]
            )
    return CaseFilter(
        kind=args.kind,
        status=list(args.status),
        district=_district(args.district),
        station_id=station_id,
        sex=args.sex,
        age_band=args.age_band,
        date_from=args.date_from,
        date_to=args.date_to,
        name=args.name,
    )


LIST_KEYS = (
    "id",
    "kind",
    "status",
    "name_latin",
    "name_deva",
    "sex",
    "age_years",
    "district",
    "reported_on",
)


def cmd_cases_list(ctx: Any, args: argparse.Namespace) -> int:
    from . import audit
    from .roles import Action, require
    from .search import SearchIndex

    require(ctx.role, Action.VIEW)  # an administrator manages accounts, not case data
    f = _case_filter(ctx, args)
    limit = args.limit if args.limit is not None else (None if args.json else 50)
    f.limit = limit
    idx = SearchIndex.for_db(ctx.db)
    with ctx.db.write() as s:
        rows = idx.search(s, f)
        total = idx.count(s, f) if limit is not None and len(rows) == limit else len(rows)
        audit.record(s, ctx, "case_list", None, None, results=len(rows))
        out = []
        for c in rows:
            item = {k: getattr(c, k) for k in LIST_KEYS}
            item["name"] = c.name_latin or c.name_deva
            item["reported_on"] = c.reported_on.isoformat()
            out.append(item)
    if args.json:
        _out_json(out)
        return 0
    for row in out:
        name = " / ".join(x for x in (row["name_latin"], row["name_deva"]) if x) or "(no name)"
        print(
            f"{row['id']}  {row['kind']:<7} {row['status']:<10} {row['sex']} "
            f"{row['age_years'] or '?':>2}  {row['reported_on']}  {row['district']:<16} {name}"
        )
    if total > len(out):
        print(f"… {total - len(out)} more (use --limit or narrow the filters)", file=sys.stderr)
    return 0


def cmd_cases_show(ctx: Any, args: argparse.Namespace) -> int:
    from .cases import CaseService

    data = CaseService(ctx).details(args.id)
    if args.json:
        _out_json(data)
        return 0
    for k, v in data.items():
        if k in ("events", "tracing", "risk", "station") or v in (None, ""):
            continue
        label = FIELDS[k].label if k in FIELDS else k.replace("_", " ").capitalize()
        print(f"{label:<24} {v}")
    print(f"{'Station':<24} {data['station']['name']} ({data['station']['district']})")
    for e in data["events"]:
        det = ", ".join(f"{k}={v}" for k, v in e["details"].items() if v)
        print(f"  {e['at']}  {e['from']} → {e['to']}  by {e['by']}  {det}")
    for t in data["tracing"]:
        print(f"  tracing {t['done_on']}: {t['action']} ({t['by']})")
    for r in data["risk"][:1]:
        print(f"  risk {r['level']} (assessed {r['assessed_on']}, review due {r['review_due']})")
    return 0


def cmd_cases_edit(ctx: Any, args: argparse.Namespace) -> int:
    from .cases import CaseService

    case = CaseService(ctx).update(args.id, dict(args.set))
    print(f"saved {case.id} (version {case.version})")
    return 0


def cmd_cases_step(ctx: Any, args: argparse.Namespace) -> int:
    from .cases import CaseService

    case = CaseService(ctx).transition(args.id, args.step_action, dict(args.details))
    print(f"{case.id} is now {case.status}")
    return 0


def cmd_cases_log(ctx: Any, args: argparse.Namespace) -> int:
    from .cases import CaseService

    CaseService(ctx).add_tracing_entry(args.id, args.text, args.on)
    print("tracing entry saved")
    return 0


def cmd_cases_risk(ctx: Any, args: argparse.Namespace) -> int:
    from .cases import CaseService

    checks = [c.strip() for c in args.check.split(",") if c.strip()]
    ra = CaseService(ctx).assess_risk(args.id, args.level, checks, args.note, args.review_due)
    print(f"risk {ra.level} recorded; review due {ra.review_due.isoformat()}")
    return 0


def cmd_cases_import(ctx: Any, args: argparse.Namespace) -> int:
    from .transfer import import_csv

    report = import_csv(ctx, Path(args.file))
    if args.errors:
        report.save(Path(args.errors))
    if args.json:
        _out_json(
            {
                "imported": report.imported,
                "ids": report.ids,
                "errors": [
                    {"row": e.row, "field": e.field, "message": e.message} for e in report.errors
                ],
            }
        )
    else:
        for line in report.lines():
            print(line, file=sys.stderr)
        print(
            f"{report.imported} cases imported, {len({e.row for e in report.errors})} rows rejected"
        )
    return 5 if report.errors else 0


def cmd_cases_export(ctx: Any, args: argparse.Namespace) -> int:
    from .transfer import export_cases

    n = export_cases(ctx, Path(args.file), _case_filter(ctx, args))
    print(f"{n} cases exported to {args.file}")
    return 0


def cmd_stats(ctx: Any, args: argparse.Namespace) -> int:
    from .stats import review_stats

    if args.date_to < args.date_from:
        raise ValidationError([_fe("to", "the period ends before it starts")])
    data = review_stats(ctx, args.date_from, args.date_to, _district(args.district))
    if args.json:
        _out_json(data)
        return 0
    r = data["recovered"]
    print(
        f"Period {args.date_from} to {args.date_to}"
        + (f", {args.district}" if args.district else "")
    )
    print(
        f"Children recovered: {r['total']} (boys {r['boys']}, girls {r['girls']}) "
        f"from {r['states']} states"
    )
    for s in data["recovered_from_states"]:
        print(f"  {s['state']:<20} {s['total']:>5}")
    print(f"{'District':<32} reported traced recovered restored pending")
    for d in data["districts"] + [{"district": "Total"} | data["totals"]]:
        print(
            f"{d['district']:<32} {d['reported']:>8} {d['traced']:>6} {d['recovered']:>9} "
            f"{d['restored']:>8} {d['pending']:>7}"
        )
    print(f"Located in other states, not yet recovered: {len(data['located_not_recovered'])}")
    print(
        f"Suspected trafficking (pending): {len(data['trafficking'])}; due for AHTU "
        f"escalation: {len(data['escalation_due'])}"
    )
    return 0


def cmd_station_set(ctx: Any, args: argparse.Namespace) -> int:
    from . import places
    from .cases import CaseService

    hits = places.find_station(args.station, args.district)
    if len(hits) != 1:
        raise ValidationError(
            [
                _fe(
                    "station",
                    f"no station '{args.station}' in '{args.district}' (see `muskan station list`)",
                )
            ]
        )
    with ctx.db.write() as s:
        st = CaseService(ctx).set_own_station(s, hits[0])
        print(f"this register's station: {st.name_en}, {st.district_en}")
    return 0


def cmd_station_show(ctx: Any, args: argparse.Namespace) -> int:
    from .cases import CaseService

    with ctx.db.read() as s:
        st = CaseService(ctx).own_station(s)
        if st is None:
            print("no station set (use `muskan station set`)")
            return 1
        print(
            f"{st.name_en} ({st.name_hi}), subdivision {st.subdivision_en}, district "
            f"{st.district_en}, {st.range_en}, {st.state_en} [{st.code}]"
        )
    return 0


def _station_list() -> int:
    from . import places

    for s in places.stations():
        print(f"{s.code:<34} {s.name.en} / {s.name.hi}  ({s.district.en})")
    return 0


COMMANDS: dict[tuple[str, str | None], Any] = {
    ("demo", None): cmd_demo,
    ("cases", "add"): cmd_cases_add,
    ("cases", "list"): cmd_cases_list,
    ("cases", "show"): cmd_cases_show,
    ("cases", "edit"): cmd_cases_edit,
    ("cases", "step"): cmd_cases_step,
    ("cases", "log"): cmd_cases_log,
    ("cases", "risk"): cmd_cases_risk,
    ("cases", "import"): cmd_cases_import,
    ("cases", "export"): cmd_cases_export,
    ("stats", None): cmd_stats,
    ("station", "set"): cmd_station_set,
    ("station", "show"): cmd_station_show,
}

if __name__ == "__main__":
    sys.exit(main())
