"""Backup of the data folder as one encrypted archive, and a restore that checks before it
replaces anything.

The archive is a tar stream (a consistent copy of the register, the photo and thumbnail
files, and last a manifest with every member's SHA-256 and the register's keys) cut into
1 MiB chunks, each sealed with AES-256-GCM under a key derived from the backup passphrase
(argon2id). Each chunk's associated data carries its number and whether it is the last, so
a reordered, cut-short or edited archive is refused. Nothing in clear touches the disk: the
register and photos inside are still encrypted with the register's own keys.

Create checks what it packs: the register (SQLite's integrity check, the audit chain) or
nothing is written; a photo that no longer decrypts to the SHA-256 it is named by (or a
thumbnail that does not decrypt) is left out, named in the manifest and reported.

Restore unpacks into a staging folder beside the data folder, checks every member against the
manifest, opens the register with the restored keys (integrity check, audit chain, every
photo decrypted and hash-checked) and only then swaps the folders; the folder it replaces is
kept beside it as <name>.before-restore-<time>. A photo that does not check out refuses the
archive, naming it, unless the restore is partial. The swap is journalled (restore_journal.py):
a kill between its two renames is finished or rolled back at the next start.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import secrets
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import audit, keystore, restore_journal
from .context import Context
from .durable import fsync_dir
from .errors import MuskanError
from .keystore import RegisterKeys
from .paths import DB_FILENAME
from .photos import PhotoStore
from .roles import Action, require
from .sealed import CHUNK, BackupError, ChunkReader, SealedWriter, check_value, derive, open_chunks

log = logging.getLogger(__name__)

MAGIC = b"MUSKAN-BACKUP-1\n"
MANIFEST = "MANIFEST.json"
FOLDERS = ("photos", "thumbs")
# `backup create` wrote the archive, or `backup restore --partial` restored, without some
# photo or thumbnail files that do not check out (named on stderr).
EXIT_LEFT_OUT = 9
_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class BackupInfo:
    files: int
    bytes: int
    cases: int = 0
    left_out: tuple[str, ...] = ()  # "photos/ab/<sha>.jpg: why" for each file not packed
    replaced: Path | None = None  # where restore kept the folder it replaced


# -- create -----------------------------------------------------------------------------------
def create_backup(ctx: Context, out: Path, passphrase: str) -> BackupInfo:
    """Write the encrypted archive of ctx's data folder to `out` (atomically).

    Every file is checked before it is packed: the register (integrity check, audit chain)
    or nothing is written; each photo and thumbnail must decrypt and match the SHA-256 it is
    named by, or it is left out and named in `left_out` (and in the manifest)."""
    require(ctx.role, Action.EXPORT)
    keys = ctx.db.keys
    if keys is None:
        raise BackupError("This register is not encrypted; open it once to encrypt it first.")
    if len(passphrase) < 8:
        raise BackupError("Use a backup passphrase of at least 8 characters.")
    out = Path(out)
    restore_journal.clean_stale_archives(out.parent)
    params = {"kdf": "argon2id", **keystore.KDF, "salt": secrets.token_hex(16)}
    params["register"] = keys.register_id
    key = derive(passphrase, params)
    params["check"] = check_value(key)
    header = json.dumps(params, sort_keys=True).encode() + b"\n"
    tmp = restore_journal.archive_tmp(out)  # named by this process: a kill leaves it findable
    files, total = 0, 0
    left_out: dict[str, str] = {}
    snapshot = ctx.db.backup_to(ctx.home / "backups", label=restore_journal.snapshot_label())
    try:
        _, shas = _check_register(snapshot, keys, "This register")
        store = PhotoStore(ctx.home, keys.photo)
        with tmp.open("wb") as fh:
            fh.write(MAGIC + header)
            w = SealedWriter(fh, key, header)
            members: dict[str, str] = {}
            with tarfile.open(fileobj=w, mode="w|") as tar:
                entries = [(snapshot, DB_FILENAME)]
                for folder in FOLDERS:
                    base = ctx.home / folder
                    for p in sorted(base.glob("*/*")) if base.is_dir() else []:
                        if p.is_file() and not p.name.startswith("."):
                            entries.append((p, f"{folder}/{p.parent.name}/{p.name}"))
                for path, name in entries:
                    try:
                        data = path.read_bytes()
                    except OSError as exc:
                        if name == DB_FILENAME:
                            raise
                        left_out[name] = f"cannot be read ({exc.strerror or exc})"
                        continue
                    problem = None if name == DB_FILENAME else _file_problem(store, name, data)
                    if problem is not None:
                        left_out[name] = problem
                        continue
                    members[name] = hashlib.sha256(data).hexdigest()
                    _add(tar, name, data)
                    files += 1
                    total += len(data)
                packed = {_sha_of(n) for n in members if n.startswith("photos/")}
                for sha in sorted(shas - packed):
                    if not any(_sha_of(n) == sha for n in left_out if n.startswith("photos/")):
                        left_out[f"photos/{sha[:2]}/{sha}"] = "missing from the data folder"
                with ctx.db.write() as s:
                    audit.record(
                        s, ctx, "backup_create", None, None, file=out.name, files=files,
                        left_out=len(left_out),
                    )  # fmt: skip
                manifest = {
                    "version": 1,
                    "created": dt.datetime.now(dt.UTC).isoformat(),
                    "register": keys.register_id,
                    "keys": json.loads(keys.to_json()),
                    "members": members,
                    "left_out": left_out,
                }
                _add(tar, MANIFEST, json.dumps(manifest).encode())
            w.finish()
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        snapshot.unlink(missing_ok=True)
    return BackupInfo(files, total, left_out=_lines(left_out))


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _sha_of(name: str) -> str:
    """The SHA-256 a photo or thumbnail file is named by ("" for a name that is not one)."""
    stem = Path(name).name.split(".")[0]
    return stem if _SHA.fullmatch(stem) else ""


def _file_problem(store: PhotoStore, name: str, data: bytes) -> str | None:
    """Why a stored photo or thumbnail would not restore (None: it checks out)."""
    sha = _sha_of(name)
    if not sha:
        return None  # not named by a hash: nothing to check it against
    kind = "photo" if name.startswith("photos/") else "thumb"
    try:
        plain = store.open_sealed(data, sha, kind, Path(name).name)
    except MuskanError:
        return "damaged: it does not decrypt with the register's key (changed or cut short)"
    if kind == "photo" and hashlib.sha256(plain).hexdigest() != sha:
        return "damaged: its contents no longer match the SHA-256 it is named by"
    return None


def _lines(problems: dict[str, str]) -> tuple[str, ...]:
    return tuple(f"{name}: {why}" for name, why in sorted(problems.items()))


# -- restore ----------------------------------------------------------------------------------
def restore_backup(
    ctx: Context, src: Path, passphrase: str, *, force: bool = False, partial: bool = False
) -> BackupInfo:
    """Check the archive completely, then replace ctx's data folder with it. `ctx` is closed
    (its register is the one replaced); open the folder again afterwards.

    A photo or thumbnail that does not check out refuses the whole archive, naming it;
    with `partial` everything else is restored and it is named in `left_out`."""
    from sqlalchemy import func, select

    from .models import Case

    require(ctx.role, Action.DELETE)
    home = ctx.home
    with ctx.db.read() as s:
        cases = s.scalar(select(func.count()).select_from(Case)) or 0
    if cases and not force:
        raise BackupError(
            f"The register in {home} holds {cases} cases; restoring replaces them. "
            "Run again with --force to replace it (the old folder is kept beside it)."
        )
    old_id = ctx.db.keys.register_id if ctx.db.keys else None
    return _restore(
        home, Path(src), passphrase, partial=partial, close=ctx.db.close, actor=ctx.actor,
        old_id=old_id, old_empty=cases == 0,
    )  # fmt: skip


def restore_unopenable(
    home: Path, src: Path, passphrase: str, *, partial: bool, actor: str
) -> BackupInfo:
    """Restore into a data folder whose register cannot be opened at all (an empty
    muskan.db, a missing keys.json), so no one can log in to it: the folder is kept
    beside it as it is (`replaced`)."""
    return _restore(
        Path(home), Path(src), passphrase, partial=partial, close=lambda: None, actor=actor,
        old_id=None, old_empty=False,
    )  # fmt: skip


def _restore(
    home: Path,
    src: Path,
    passphrase: str,
    *,
    partial: bool,
    close: Any,
    actor: str,
    old_id: str | None,
    old_empty: bool,
) -> BackupInfo:
    staging = restore_journal.staging_path(home)
    journal: restore_journal.Journal | None = None
    try:
        info, keys, problems, left_then = _unpack(src, passphrase, staging)
        n_cases = _check_staged(staging, keys, problems, left_then)
        if problems and not partial:
            raise BackupError(
                f"The backup {src.name} holds {len(problems)} file(s) that do not check out; "
                "nothing was changed:\n  "
                + "\n  ".join(_lines(problems))
                + "\nRun again with --partial to restore everything else (the register and "
                "every other photo); the files above will be missing."
            )
        for name in problems:
            try:
                target = _safe_target(staging, name)
            except BackupError:
                continue  # a name only the manifest gives, not one of ours: nothing unpacked
            target.unlink(missing_ok=True)
        close()
        keystore.store_keys(staging, keys)
        for keep in ("logs",):  # the log of this machine stays with it
            if (home / keep).is_dir():
                shutil.copytree(home / keep, staging / keep, dirs_exist_ok=True)
        _fsync_tree(staging)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = home.parent / f"{home.name}.before-restore-{stamp}"
        n = 1
        while aside.exists():  # two restores within a second
            n += 1
            aside = home.parent / f"{home.name}.before-restore-{stamp}-{n}"
        journal = restore_journal.Journal(
            pid=os.getpid(),
            src=src.name,
            staging=staging.name,
            aside=aside.name,
            drop_aside=bool(old_empty and old_id and old_id != keys.register_id),
            old_register=old_id,
        )
        # From here a kill or a power cut is finished or rolled back at the next start.
        restore_journal.write_journal(home, journal)
        os.replace(home, aside)
        fsync_dir(home.parent)
        os.replace(staging, home)
        fsync_dir(home.parent)
        restore_journal.finish_swap(home, journal)
    except BaseException:
        if journal is not None and restore_journal.journal_path(home).exists():
            try:
                restore_journal.recover(home)  # undo (or complete) the half-done swap now
            except Exception:
                log.exception("could not undo the interrupted restore; the next start will")
        else:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    from .context import open_context

    again = open_context(home, login=False)
    try:
        again.actor = actor
        with again.db.write() as s:
            audit.record(
                s, again, "backup_restore", None, None, file=src.name, left_out=len(problems)
            )
    finally:
        again.db.close()
    replaced = aside if aside.exists() else None
    return BackupInfo(info.files, info.bytes, n_cases, _lines(problems), replaced)


def _fsync_tree(folder: Path) -> None:
    """The staged files are on disk before the journal says they may replace the folder."""
    for p in sorted(folder.rglob("*"), reverse=True):
        if p.is_file():
            with p.open("rb") as fh:
                os.fsync(fh.fileno())
        else:
            fsync_dir(p)
    fsync_dir(folder)


def _unpack(
    src: Path, passphrase: str, staging: Path
) -> tuple[BackupInfo, RegisterKeys, dict[str, str], dict[str, str]]:
    """Unpack into `staging`. Returns the keys, the photo and thumbnail members that do not
    match the manifest, and what the backup says it left out when it was made."""
    try:
        fh = src.open("rb")
    except OSError as exc:
        raise BackupError(f"The backup {src} cannot be read: {exc.strerror}") from exc
    with fh:
        if fh.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{src.name} is not a Muskan backup; nothing was changed.")
        header = fh.readline(4096)
        try:
            params = json.loads(header)
        except ValueError:
            raise BackupError(f"{src.name} is damaged (its header is unreadable).") from None
        key = derive(passphrase, params)
        if params.get("check") != check_value(key):
            raise BackupError("Wrong passphrase for this backup; nothing was changed.")
        reader = io.BufferedReader(ChunkReader(open_chunks(fh, key, header)), CHUNK)
        staging.mkdir(parents=True)
        hashes: dict[str, str] = {}
        manifest: dict[str, Any] | None = None
        files, total = 0, 0
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for m in tar:
                    f = tar.extractfile(m) if m.isfile() else None
                    if f is None:
                        raise BackupError(f"The backup holds an unexpected entry {m.name!r}.")
                    data = f.read()
                    if m.name == MANIFEST:
                        manifest = json.loads(data)
                        continue
                    target = _safe_target(staging, m.name)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                    hashes[m.name] = hashlib.sha256(data).hexdigest()
                    files += 1
                    total += len(data)
        except tarfile.TarError as exc:
            raise BackupError(f"The backup is damaged: {exc}") from exc
    if manifest is None or not isinstance(manifest.get("members"), dict):
        raise BackupError("The backup has no manifest of its contents; nothing was changed.")
    listed: dict[str, str] = manifest["members"]
    if listed.get(DB_FILENAME) is None or listed.get(DB_FILENAME) != hashes.get(DB_FILENAME):
        raise BackupError("The backup's contents do not match its manifest; nothing was changed.")
    problems: dict[str, str] = {}
    for name in sorted(set(listed) | set(hashes)):
        if name not in hashes:
            problems[name] = "missing from the backup"
        elif name not in listed:
            problems[name] = "not in the backup's manifest"
        elif listed[name] != hashes[name]:
            problems[name] = "damaged: it does not match the backup's manifest"
    k = manifest["keys"]
    keys = RegisterKeys.from_json(manifest["register"], json.dumps(k))
    left_then = manifest.get("left_out") or {}
    return BackupInfo(files, total), keys, problems, dict(left_then)


def _safe_target(staging: Path, name: str) -> Path:
    parts = Path(name).parts
    ok = name == DB_FILENAME or (len(parts) == 3 and parts[0] in FOLDERS)
    if not ok or any(p in ("..", "") or p.startswith("/") for p in parts):
        raise BackupError(f"The backup holds an unexpected file {name!r}; nothing was changed.")
    return staging.joinpath(*parts)


def _check_register(path: Path, keys: RegisterKeys, label: str) -> tuple[int, set[str]]:
    """The register opens with its keys, passes SQLite's integrity check and its audit chain
    holds. Returns the number of cases and the SHA-256 of every photo it names."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from .db import connect_raw, db_errors, make_engine
    from .models import Photo

    con = connect_raw(path, keys)
    try:
        check = [r[0] for r in con.execute("PRAGMA integrity_check")]
        cases = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    except db_errors() as exc:
        raise BackupError(f"{label} cannot be opened: {exc}") from exc
    finally:
        con.close()
    if check != ["ok"]:
        raise BackupError(
            f"{label} fails SQLite's integrity check ({check[0]}): a backup of it would not "
            "restore, so nothing was written. Restore the data folder from an earlier backup."
            if label == "This register"
            else f"{label} fails its integrity check ({check[0]}); nothing was changed."
        )
    engine = make_engine(path, keys)
    try:
        with Session(engine) as s:
            broken = audit.verify(s)
            shas = set(s.scalars(select(Photo.sha256)))
    finally:
        engine.dispose()
    if broken is not None:
        raise BackupError(
            f"The audit trail of {label.lower()} is broken at row {broken} (see `muskan audit "
            "verify`); a backup with it would not restore, so nothing was written."
            if label == "This register"
            else f"The audit trail in the backup is broken at row {broken}."
        )
    return int(cases), shas


def _check_staged(
    staging: Path, keys: RegisterKeys, problems: dict[str, str], left_then: dict[str, str]
) -> int:
    """The restored register opens with its keys, is intact and its audit chain holds (or
    nothing is restored); every photo decrypts to its hash and every thumbnail decrypts
    (those that do not are added to `problems`). Returns the number of cases."""
    cases, shas = _check_register(staging / DB_FILENAME, keys, "The register in the backup")
    store = PhotoStore(staging, keys.photo)
    present: set[str] = set()
    for folder in FOLDERS:
        for p in sorted((staging / folder).glob("*/*")):
            name = f"{folder}/{p.parent.name}/{p.name}"
            if name in problems:
                continue
            why = _file_problem(store, name, p.read_bytes())
            if why is not None:
                problems[name] = why
            elif folder == "photos":
                present.add(_sha_of(name))
    then = {_sha_of(n): (n, why) for n, why in left_then.items() if n.startswith("photos/")}
    for sha in sorted(shas - present):
        if any(_sha_of(n) == sha for n in problems if n.startswith("photos/")):
            continue
        name, why = then.get(sha, (f"photos/{sha[:2]}/{sha}", "missing from the backup"))
        if sha in then:
            why = f"left out when the backup was made ({why})"
        problems[name] = why
    return cases
