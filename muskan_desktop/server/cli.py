"""`muskan-server`: run the central server and manage its stations and devices.

    muskan-server [--home DIR] [--db URL] serve [--host H] [--port P]
                  [--ssl-certfile F --ssl-keyfile F]
    muskan-server station add --code CODE [--name N --district D --state S]
    muskan-server station list
    muskan-server device enroll --station CODE|ID [--role sho|operator]
    muskan-server device list
    muskan-server device revoke DEVICE_ID [--allow-handin]
    muskan-server audit breaks [--station CODE|ID]
    muskan-server officer add --station CODE USERNAME --role sho|operator|viewer|admin
    muskan-server officer passwd|unlock --station CODE USERNAME
    muskan-server officer list|log [--station CODE]

Passwords are never arguments: asked on a terminal, or MUSKAN_NEW_PASSWORD in scripts.

Without --db the server keeps an SQLite file in its data folder (good for a trial); in
production give a PostgreSQL URL (postgresql://user@host/db) or MUSKAN_SERVER_DB.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from muskan_desktop.errors import MuskanError, ValidationError

if TYPE_CHECKING:
    from .store import ServerStore


def server_home(override: str | None) -> Path:
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("MUSKAN_SERVER_HOME")
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir("MuskanServer", appauthor=False))


def _megabytes(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1024:
        raise argparse.ArgumentTypeError(f"give a whole number of MB from 1 to 1024, not {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="muskan-server", description=__doc__.split("\n\n")[0])
    p.add_argument("--home", metavar="DIR", help="the server's data folder (photos, SQLite)")
    p.add_argument("--db", metavar="URL", help="database URL (default: SQLite in --home)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    sv = sub.add_parser("serve", help="run the web API (uvicorn)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8470)
    sv.add_argument("--ssl-certfile", help="TLS certificate (PEM); or run behind a reverse proxy")
    sv.add_argument("--ssl-keyfile", help="TLS private key (PEM)")
    sv.add_argument("--workers", type=int, default=1)
    sv.add_argument(
        "--max-push-mb",
        type=_megabytes,
        metavar="MB",
        help="the largest push a laptop may send (default 32, or MUSKAN_SERVER_MAX_PUSH_MB); "
        "a laptop's batch of 2,000 filled-in cases is about 4 MB",
    )

    st = sub.add_parser("station", help="station accounts")
    sts = st.add_subparsers(dest="action", required=True)
    add = sts.add_parser("add", help="add a station account")
    add.add_argument("--code", required=True, help="station code (see `muskan station list`)")
    add.add_argument("--name", help="name in English (for a code not in the built-in list)")
    add.add_argument("--district", help="district in English (ditto)")
    add.add_argument("--state", help="state in English (ditto)")
    sts.add_parser("list", help="the stations on this server")

    dv = sub.add_parser("device", help="laptops: enrollment codes, list, revoke")
    dvs = dv.add_subparsers(dest="action", required=True)
    en = dvs.add_parser("enroll", help="print a one-time code that enrolls one laptop")
    en.add_argument("--station", required=True, metavar="CODE|ID")
    en.add_argument("--role", default="sho", choices=["sho", "operator", "viewer"])
    dvs.add_parser("list", help="enrolled laptops and their state (revoked, hand-in, wiped)")
    rv = dvs.add_parser(
        "revoke",
        help="refuse a laptop from now on (it wipes its case data)",
        description="Refuse a laptop from now on: it can no longer send, receive or read "
        "anything, and at its next sync it removes the case data it holds (its unsent work "
        "with it, unless --allow-handin).",
    )
    rv.add_argument("device_id")
    rv.add_argument(
        "--allow-handin",
        action="store_true",
        help="let the laptop deliver the work it has queued ONCE before it wipes: at its "
        "next sync, with a credential that has not expired, it may send its queue (checked "
        "as any laptop's) for at most one hour, and is then told to wipe. Without this "
        "flag its unsent work is lost with the wipe.",
    )

    of = sub.add_parser("officer", help="officer accounts of the stations (roles as roles.py)")
    ofs = of.add_subparsers(dest="action", required=True)
    oa = ofs.add_parser("add", help="add an officer account to a station")
    oa.add_argument("username")
    oa.add_argument("--station", required=True, metavar="CODE|ID")
    oa.add_argument("--role", required=True, choices=["sho", "operator", "viewer", "admin"])
    oa.add_argument("--full-name")
    for name, text in (("passwd", "set a new password"), ("unlock", "unlock after lockout")):
        o = ofs.add_parser(name, help=text)
        o.add_argument("username")
        o.add_argument("--station", required=True, metavar="CODE|ID")
    ol = ofs.add_parser("list", help="the accounts (of one station)")
    ol.add_argument("--station", metavar="CODE|ID")
    og = ofs.add_parser("log", help="what officers did through the API: logins, reads")
    og.add_argument("--station", metavar="CODE|ID")
    og.add_argument("--limit", type=int, default=200)

    au = sub.add_parser("audit", help="the laptops' audit trails held by the server")
    aus = au.add_subparsers(dest="action", required=True)
    br = aus.add_parser("breaks", help="events that did not continue their laptop's chain")
    br.add_argument("--station", metavar="CODE|ID")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except ValidationError as exc:
        for e in exc.errors:
            print(f"error: {e.field}: {e.message}", file=sys.stderr)
        return exc.exit_code
    except MuskanError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # a database that cannot be reached, mostly
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            print(f"error: the server database cannot be reached: {exc.orig}", file=sys.stderr)
            return 10
        raise


def run(args: argparse.Namespace) -> int:
    from .store import ServerStore

    home = server_home(args.home)
    url = args.db
    if args.command == "serve":
        return serve(home, url, args)
    store = ServerStore(home, url)
    try:
        if args.command == "station" and args.action == "add":
            st = store.add_station(
                args.code, name_en=args.name, district_en=args.district, state_en=args.state
            )
            print(f"station {st.code} ({st.name_en}, {st.district_en}): id {st.id}")
        elif args.command == "station":
            from sqlalchemy import select

            from muskan_desktop.models import Station

            with store.session() as s:
                for st in s.scalars(select(Station).order_by(Station.code)):
                    print(f"{st.code}\t{st.name_en}\t{st.district_en}\t{st.id}")
        elif args.command == "audit":
            return audit_breaks(store, args.station)
        elif args.command == "officer":
            return officer_command(store, args)
        elif args.action == "enroll":
            code = store.enrollment_code(args.station, args.role)
            print(code)
            print(
                "One-time code, valid for 3 days. On the laptop: "
                f"muskan enroll --server URL --code {code}",
                file=sys.stderr,
            )
        elif args.action == "list":
            json.dump(store.list_devices(), sys.stdout, indent=1)
            sys.stdout.write("\n")
        elif args.action == "revoke":
            store.revoke(args.device_id, allow_handin=args.allow_handin)
            then = (
                "it may hand in its queued work once, then wipes"
                if args.allow_handin
                else "it wipes its case data at its next sync; its unsent work is lost"
            )
            print(f"device {args.device_id} revoked: {then}", file=sys.stderr)
    finally:
        store.close()
    return 0


def _new_password() -> str:
    """The same rule as the laptop's `muskan officer`: MUSKAN_NEW_PASSWORD, or asked twice."""
    from muskan_desktop.security_cli import _new_password as ask

    return ask()


def officer_command(store: ServerStore, args: argparse.Namespace) -> int:
    from . import officers

    if args.action == "add":
        officers.add(store, args.station, args.username, args.role, _new_password(), args.full_name)
        print(f"officer {args.username} added at {args.station} ({args.role})")
    elif args.action == "passwd":
        officers.set_password(store, args.station, args.username, _new_password())
        print(f"password of {args.username} at {args.station} changed")
    elif args.action == "unlock":
        officers.unlock(store, args.station, args.username)
        print(f"{args.username} at {args.station} unlocked")
    elif args.action == "log":
        for e in officers.events(store, args.station, max(1, args.limit)):
            print(f"{e.at.isoformat()}\t{e.username}\t{e.action}\t{json.dumps(e.details)}")
    else:
        for o in officers.list_officers(store, args.station):
            state = "disabled" if not o["active"] else ("locked" if o["locked"] else "")
            print(f"{o['station']:<12} {o['username']:<24} {o['role']:<9} {state}")
    return 0


def audit_breaks(store: ServerStore, station: str | None) -> int:
    """Exit 8 (as `muskan audit verify`) when any laptop's chain has a break."""
    from .audit_log import breaks

    sid = store.find_station(station).id if station else None
    found = breaks(store, sid)
    for b in found:
        print(
            f"{b['received_at']}\tstation {b['station_id']}\tregister {b['register_device']}"
            f"\trow {b['row']}\t{b['problem']}"
        )
    if found:
        print(f"error: {len(found)} audit event(s) break their laptop's chain", file=sys.stderr)
        return 8
    print("every laptop's audit chain held by the server is continuous", file=sys.stderr)
    return 0


def tune_gc() -> None:
    """The app's own objects (tables, routes, validators) live as long as the process: they
    are moved out of the cycle collector's view, and collections are made rarer. A push of
    2,000 entries makes some 100,000 objects, and with Python's defaults paid for two full
    collections of everything per 10,000 entries (0.15 s of a 1 s drain)."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def serve(home: Path, url: str | None, args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app
    from .http_errors import log_config
    from .limits import Limits
    from .store import ServerStore

    limits = Limits.from_env(args.max_push_mb)
    store = ServerStore(home, url)
    app = create_app(store, limits)
    tune_gc()
    print(f"Muskan server on {args.host}:{args.port}, data in {home}", file=sys.stderr)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        # h11 (not httptools, should it be installed): its limit on a request's line and
        # headers, 16 KB, is the one we know; bodies are limited by the app (limits.py)
        http="h11",
        h11_max_incomplete_event_size=16 * 1024,
        log_config=log_config(),  # tracebacks without exception messages (request values)
        log_level="warning",
        access_log=False,  # requests carry case ids; keep them out of plain logs
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
