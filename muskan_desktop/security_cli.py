"""`muskan login`, `muskan officer ...`, `muskan audit ...`, `muskan backup ...`.

Passwords are never taken as arguments (they would land in shell history and process
lists): they are asked for on a terminal, or read from MUSKAN_PASSWORD (the acting officer's)
and MUSKAN_NEW_PASSWORD (a new or changed one) in scripts.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cli_args import positive_int
from .errors import FieldError, MuskanError, ValidationError

if TYPE_CHECKING:  # the CLI's start (and `--version`) stays free of SQLAlchemy
    from .context import Context


def ask_password(prompt: str = "Password: ", env: str = "MUSKAN_PASSWORD") -> str:
    """From `env`, else asked on the terminal; "" when neither (a script without it)."""
    value = os.environ.get(env)
    if value:
        return value
    if sys.stdin.isatty():
        try:
            return getpass.getpass(prompt)
        except (EOFError, KeyboardInterrupt):
            return ""
    return ""


def _new_password() -> str:
    value = os.environ.get("MUSKAN_NEW_PASSWORD")
    if value:
        return value
    if not sys.stdin.isatty():
        raise ValidationError(
            [FieldError("password", "required", "set MUSKAN_NEW_PASSWORD (no terminal to ask)")]
        )
    first = getpass.getpass("New password: ")
    if getpass.getpass("New password again: ") != first:
        raise ValidationError([FieldError("password", "mismatch", "the two entries differ")])
    return first


def add_parsers(sub: Any) -> None:
    sub.add_parser("login", help="check an officer's name and password (and record the login)")

    off = sub.add_parser("officer", help="officer accounts: add, passwd, list, unlock")
    offs = off.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = offs.add_parser("add", help="create an account (the first one must be the SHO's)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["sho", "operator", "viewer", "admin"])
    add.add_argument("--full-name")
    pw = offs.add_parser("passwd", help="change your password (or, as SHO, reset another's)")
    pw.add_argument("username", nargs="?")
    ls = offs.add_parser("list", help="list the accounts")
    ls.add_argument("--json", action="store_true")
    un = offs.add_parser("unlock", help="unlock an account locked after wrong passwords")
    un.add_argument("username")
    for name, text in (("disable", "stop an account logging in"), ("enable", "allow it again")):
        p = offs.add_parser(name, help=text)
        p.add_argument("username")

    au = sub.add_parser("audit", help="the audit trail: verify the chain, list events")
    aus = au.add_subparsers(dest="action", metavar="ACTION", required=True)
    aus.add_parser("verify", help="check the hash chain; names the first broken row")
    al = aus.add_parser("list", help="recent audit events, newest first")
    al.add_argument("--limit", type=positive_int, default=50, metavar="N", help="default 50")
    al.add_argument("--actor")
    al.add_argument("--action", dest="event")
    al.add_argument("--case", dest="case_id")
    al.add_argument("--json", action="store_true")

    bk = sub.add_parser("backup", help="encrypted backup of the data folder, verified restore")
    bks = bk.add_subparsers(dest="action", metavar="ACTION", required=True)
    bc = bks.add_parser(
        "create",
        help="write an encrypted archive (passphrase asked); every file is checked first",
        description="Write an encrypted archive of the data folder. The register must pass its "
        "integrity check and its audit chain, or nothing is written (exit 4). A photo or "
        "thumbnail file that is damaged (it no longer decrypts to the SHA-256 it is named by) "
        "is left out and named on stderr: the archive holds everything else and the exit code "
        "is 9.",
    )
    bc.add_argument("file")
    br = bks.add_parser(
        "restore",
        help="check an archive, then replace this data folder",
        description="Check the archive completely, then replace this data folder with it (the "
        "old folder is kept beside it as <folder>.before-restore-<time>). If a photo in it "
        "does not check out, nothing is restored and the damaged files are named (exit 4); "
        "with --partial everything else is restored and they are named on stderr (exit 9). "
        "A data folder whose register cannot be opened (an empty muskan.db, a missing "
        "keys.json) is replaced without logging in.",
    )
    br.add_argument("file")
    br.add_argument("--force", action="store_true", help="replace a register that has cases")
    br.add_argument(
        "--partial",
        action="store_true",
        help="restore what checks out when some photos do not (they are listed; exit 9)",
    )


def cmd_login(ctx: Context, args: argparse.Namespace) -> int:
    from .roles import ROLE_LABELS, Role

    label = ROLE_LABELS.get(Role(ctx.role), ctx.role) if ctx.role else "?"
    print(f"logged in as {ctx.actor} ({label})")
    return 0


def cmd_officer_add(ctx: Context, args: argparse.Namespace) -> int:
    from .accounts import AccountService

    info = AccountService(ctx).add(args.username, args.role, _new_password(), args.full_name)
    print(f"officer {info.username} added ({info.role.value})")
    return 0


def cmd_officer_passwd(ctx: Context, args: argparse.Namespace) -> int:
    from .accounts import AccountService, normalize_username

    name = normalize_username(args.username or ctx.actor)
    old = ask_password("Current password: ") if name == ctx.actor else None
    AccountService(ctx).change_password(name, old, _new_password())
    print(f"password of {name} changed")
    from .sync import officer_sync

    server = officer_sync.hand_in_now(ctx)  # an own password goes up with the old one, now
    if server:
        print(server)
    return 0


def cmd_officer_list(ctx: Context, args: argparse.Namespace) -> int:
    from .accounts import AccountService

    rows = AccountService(ctx).list()
    now = ctx.clock()
    if args.json:
        out = [
            {
                "username": o.username,
                "full_name": o.full_name,
                "role": o.role.value,
                "active": o.active,
                "locked": bool(o.locked_until and o.locked_until > now),
                "last_login_at": o.last_login_at.isoformat() if o.last_login_at else None,
            }
            for o in rows
        ]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for o in rows:
        state = "disabled" if not o.active else ""
        if o.locked_until and o.locked_until > now:
            state = "locked"
        print(f"{o.username:<24} {o.role.value:<9} {state:<9} {o.full_name or ''}")
    return 0


def cmd_officer_unlock(ctx: Context, args: argparse.Namespace) -> int:
    from .accounts import AccountService

    AccountService(ctx).unlock(args.username)
    print(f"{args.username} unlocked")
    return 0


def cmd_officer_enable(ctx: Context, args: argparse.Namespace) -> int:
    from .accounts import AccountService

    AccountService(ctx).set_active(args.username, args.action == "enable")
    print(f"{args.username} {args.action}d")
    return 0


def cmd_audit_verify(ctx: Context, args: argparse.Namespace) -> int:
    from .audit_trail import AuditTrail

    result = AuditTrail(ctx).verify()
    if result.ok:
        print(f"audit trail intact: {result.rows} rows")
        return 0
    b = result.broken
    if b is None:
        print(f"error: {result.problem}", file=sys.stderr)
        return 8
    print(
        f"error: the audit trail is broken at row {b.seq} ({b.at}, {b.action} by {b.actor}): "
        "this row or the one before it was changed or deleted after it was written",
        file=sys.stderr,
    )
    return 8


def cmd_audit_list(ctx: Context, args: argparse.Namespace) -> int:
    from .audit_trail import AuditTrail

    rows = AuditTrail(ctx).list(
        limit=args.limit, actor=args.actor, action=args.event, case_id=args.case_id
    )
    if args.json:
        json.dump([r.to_json() for r in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for r in rows:
        print(f"{r.seq:>7} {r.at} {r.actor:<16} {r.action:<18} {r.entity_id or ''} {r.summary}")
    return 0


def cmd_backup_create(ctx: Context, args: argparse.Namespace) -> int:
    from .backup import create_backup

    passphrase = _backup_passphrase(confirm=True)
    info = create_backup(ctx, Path(args.file), passphrase)
    print(f"backup written to {args.file}: {info.files} files, {info.bytes} bytes (encrypted)")
    if not info.left_out:
        return 0
    print(
        f"warning: {len(info.left_out)} photo file(s) did not check out and were LEFT OUT of "
        "the backup (it holds everything else):",
        file=sys.stderr,
    )
    for line in info.left_out:
        print(f"  {line}", file=sys.stderr)
    print(
        "Add those photos to their cases again (or take them from an older backup); restoring "
        "this backup needs --partial.",
        file=sys.stderr,
    )
    return EXIT_LEFT_OUT


def cmd_backup_restore(ctx: Context, args: argparse.Namespace) -> int:
    from .backup import restore_backup

    passphrase = _backup_passphrase(confirm=False)
    info = restore_backup(ctx, Path(args.file), passphrase, force=args.force, partial=args.partial)
    return _restored(info, args)


def _restored(info: Any, args: argparse.Namespace) -> int:
    print(f"restored {info.files} files from {args.file}; checked: {info.cases} cases")
    if not info.left_out:
        return 0
    print(
        f"warning: {len(info.left_out)} file(s) in the backup did not check out and were NOT "
        "restored:",
        file=sys.stderr,
    )
    for line in info.left_out:
        print(f"  {line}", file=sys.stderr)
    return EXIT_LEFT_OUT


def prepare_restore(args: argparse.Namespace, home: Path) -> None:
    """Before the register is opened: finish an interrupted restore; and where the register
    can never be opened (an empty muskan.db, a missing keys.json), restore over it here,
    since no one can log in to it, and end the command."""
    from .context import repair_folder
    from .db import unopenable_message

    repair_folder(home)
    why = unopenable_message(home)
    if why is None:
        return
    from .backup import restore_unopenable
    from .context import default_actor

    passphrase = _backup_passphrase(confirm=False)
    actor = args.officer or default_actor()
    info = restore_unopenable(home, Path(args.file), passphrase, partial=args.partial, actor=actor)
    print(f"The register in {home} could not be opened, so it was replaced. {why}", file=sys.stderr)
    if info.replaced is not None:
        print(f"The folder as it was is kept as {info.replaced}.", file=sys.stderr)
    raise SystemExit(_restored(info, args))


def prepare_create(args: argparse.Namespace, home: Path) -> None:
    """Half-written archives of killed `backup create` runs go before a new one starts."""
    from .restore_journal import clean_stale_archives

    for text in clean_stale_archives(Path(args.file).absolute().parent):
        print(f"note: {text}", file=sys.stderr)


def _backup_passphrase(*, confirm: bool) -> str:
    value = os.environ.get("MUSKAN_BACKUP_PASSPHRASE")
    if value:
        return value
    if not sys.stdin.isatty():
        raise MuskanError(
            "A backup needs a passphrase: set MUSKAN_BACKUP_PASSPHRASE (no terminal to ask)."
        )
    first = getpass.getpass("Backup passphrase: ")
    if confirm and getpass.getpass("Backup passphrase again: ") != first:
        raise MuskanError("The two passphrases differ; nothing was written.")
    return first


EXIT_LEFT_OUT = 9  # backup.EXIT_LEFT_OUT (not imported: the CLI's start stays light)

PREPARE = {
    ("backup", "restore"): prepare_restore,
    ("backup", "create"): prepare_create,
}

COMMANDS = {
    ("login", None): cmd_login,
    ("officer", "add"): cmd_officer_add,
    ("officer", "passwd"): cmd_officer_passwd,
    ("officer", "list"): cmd_officer_list,
    ("officer", "unlock"): cmd_officer_unlock,
    ("officer", "disable"): cmd_officer_enable,
    ("officer", "enable"): cmd_officer_enable,
    ("audit", "verify"): cmd_audit_verify,
    ("audit", "list"): cmd_audit_list,
    ("backup", "create"): cmd_backup_create,
    ("backup", "restore"): cmd_backup_restore,
}
READ_ONLY = {
    ("login", None),
    ("officer", "passwd"),
    ("officer", "list"),
    ("officer", "unlock"),
    ("officer", "disable"),
    ("officer", "enable"),
    ("audit", "verify"),
    ("audit", "list"),
    ("backup", "create"),
}
