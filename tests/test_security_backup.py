"""Backup and verified restore of the data folder; logs free of names and phone numbers."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from muskan_desktop.accounts import MAX_FAILURES
from muskan_desktop.backup import BackupError, create_backup, restore_backup
from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context, open_context
from muskan_desktop.db import connect_raw
from muskan_desktop.logs import log_file
from muskan_desktop.models import Photo
from muskan_desktop.photos import PhotoService, PhotoStore

from .conftest import fixed, shared_dir

PASS = "backup passphrase 1"
TABLES = ("cases", "photos", "lifecycle_events", "tracing_entries", "name_keys", "officers")


def snapshot(ctx: Context) -> dict[str, object]:
    con = connect_raw(ctx.db.path, ctx.db.keys)
    try:
        out: dict[str, object] = {
            t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES
        }
    finally:
        con.close()
    store = PhotoStore(ctx.home)
    with ctx.db.read() as s:
        out["photo_bytes"] = {sha: store.read(sha) for sha in s.scalars(select(Photo.sha256))}
    return out


def filled(ctx: Context) -> Context:
    faces = shared_dir() / "data" / "faces"
    svc = CaseService(ctx)
    a = svc.create({"kind": "missing", "name_latin": "Kiran Lakra", "sex": "F", "age_years": "11"})
    b = svc.create({"kind": "found", "sex": "M", "age_years": "6"})
    svc.update(a.id, {"guardian_phone": "9876543210"})
    svc.transition(
        a.id,
        "trace",
        {"located_state": "Delhi", "located_place": "CCI", "located_on": "2026-11-01"},
    )
    svc.add_tracing_entry(a.id, "Called the CCI in Delhi")
    PhotoService(ctx).add(a.id, faces / "obama.jpg")
    PhotoService(ctx).add(b.id, faces / "biden.jpg")
    return ctx


def test_backup_then_restore_gives_identical_data(ctx: Context, home: Path, tmp_path: Path):
    filled(ctx)
    before = snapshot(ctx)
    archive = tmp_path / "station.mbk"
    info = create_backup(ctx, archive, PASS)
    assert info.files == 1 + 2 + 2  # the register, two photos, two thumbnails
    raw = archive.read_bytes()
    assert b"Kiran" not in raw and b"9876543210" not in raw and b"SQLite" not in raw
    # changes after the backup ...
    CaseService(ctx).create({"kind": "found", "sex": "F", "age_years": "3"})
    with pytest.raises(BackupError, match="--force"):
        restore_backup(ctx, archive, PASS)
    with pytest.raises(BackupError, match="Wrong passphrase"):
        restore_backup(ctx, archive, "not the passphrase", force=True)
    # ... are gone after the restore, and everything else is as it was
    restored = restore_backup(ctx, archive, PASS, force=True)
    assert restored.cases == 2
    again = fixed(open_context(home))
    try:
        assert snapshot(again) == before
        from muskan_desktop.audit_trail import AuditTrail

        assert AuditTrail(again).verify().broken is None
    finally:
        again.db.close()
    assert list(tmp_path.glob("home.before-restore-*"))  # the replaced folder is kept


def test_restore_on_a_new_laptop(ctx: Context, tmp_path: Path):
    filled(ctx)
    before = snapshot(ctx)
    archive = tmp_path / "station.mbk"
    create_backup(ctx, archive, PASS)
    ctx.db.close()
    other = tmp_path / "new-laptop"
    fresh = open_context(other)
    restore_backup(fresh, archive, PASS)
    again = fixed(open_context(other))
    try:
        assert snapshot(again) == before
        assert again.db.keys is not None and again.db.keys == ctx.db.keys
    finally:
        again.db.close()


def test_a_damaged_or_cut_archive_changes_nothing(ctx: Context, home: Path, tmp_path: Path):
    filled(ctx)
    archive = tmp_path / "station.mbk"
    create_backup(ctx, archive, PASS)
    data = archive.read_bytes()
    cut = tmp_path / "cut.mbk"
    cut.write_bytes(data[: len(data) // 2])
    flipped = tmp_path / "flipped.mbk"
    mid = len(data) // 2
    flipped.write_bytes(data[:mid] + bytes([data[mid] ^ 1]) + data[mid + 1 :])
    before = snapshot(ctx)
    for bad, why in ((cut, "cut short"), (flipped, "damaged"), (home / "muskan.db", "not a")):
        with pytest.raises(BackupError, match=why):
            restore_backup(ctx, bad, PASS, force=True)
    assert snapshot(ctx) == before
    assert not list(tmp_path.glob(".home.restore-*"))


# -- logs -------------------------------------------------------------------------------------
NAMES = ("Kavita Toppo", "Sanjay Xalxo", "Meena Tirkey")
PHONES = ("9812345670", "9123456780", "9988776655")


def test_logs_hold_no_names_or_phone_numbers(tmp_path: Path):
    """A full workflow through the real command line, with debug logging on."""
    home = tmp_path / "station"
    env = {**os.environ, "MUSKAN_OFFICER": "SI Log"}
    env.pop("MUSKAN_PASSWORD", None)

    def muskan(*args: str) -> str:
        r = subprocess.run(
            [sys.executable, "-m", "muskan_desktop.cli", "--home", str(home), *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=180,
        )
        assert r.returncode in (0, 5), r.stderr
        return r.stdout

    ids = []
    for name, phone in zip(NAMES, PHONES, strict=True):
        out = muskan(
            "cases", "add", "--kind", "missing", "--name", name, "--sex", "F", "--age", "9",
            "--set", f"guardian_phone={phone}", "--set", f"guardian_name={name} Sr",
        )  # fmt: skip
        ids.append(out.strip())
    muskan("cases", "edit", ids[0], "--set", "name_latin=Kavita Toppo Minj")
    muskan("cases", "list", "--name", "Kavita")
    muskan("cases", "show", ids[1])
    muskan("cases", "export", str(tmp_path / "all.csv"))
    csv_in = tmp_path / "more.csv"
    csv_in.write_text(
        "kind,name_latin,sex,age_years,guardian_phone\n"
        f"missing,{NAMES[2]} Two,F,8,{PHONES[2]}\nmissing,Bad Row,Q,8,12\n"
    )
    muskan("cases", "import", str(csv_in))
    today = dt.date.today().isoformat()
    muskan("report", "notice", ids[0], "--lang", "en", "--out", str(tmp_path / "notice.pdf"))
    muskan(
        "report", "review", "--from", "2020-01-01", "--to", today, "--lang", "hi",
        "--out", str(tmp_path / "review.pdf"),
    )  # fmt: skip
    env["MUSKAN_NEW_PASSWORD"] = "sho-password-9"
    muskan("officer", "add", "sho", "--role", "sho")
    env.update(MUSKAN_OFFICER="sho", MUSKAN_PASSWORD="wrong-password")
    for _ in range(MAX_FAILURES):  # a lockout is logged (without the name)
        subprocess.run(
            [sys.executable, "-m", "muskan_desktop.cli", "--home", str(home), "login"],
            env=env,
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
    text = "".join(p.read_text(encoding="utf-8") for p in log_file(home).parent.glob("*"))
    assert "locked after repeated failures" in text  # the log is written to
    for secret in (*NAMES, *PHONES, *(n.split()[0] for n in NAMES), "sho-password-9"):
        assert secret not in text, secret


def test_backup_and_restore_from_the_command_line(tmp_path: Path):
    env = {**os.environ, "MUSKAN_OFFICER": "SI Backup", "MUSKAN_BACKUP_PASSPHRASE": PASS}
    env.pop("MUSKAN_PASSWORD", None)

    def muskan(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "muskan_desktop.cli", "--home", str(home), *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=180,
        )

    station, laptop = tmp_path / "station", tmp_path / "laptop"
    r = muskan(station, "demo", "--cases", "40")
    assert r.returncode == 0, r.stderr
    before = muskan(station, "cases", "list", "--json").stdout
    archive = tmp_path / "station.mbk"
    r = muskan(station, "backup", "create", str(archive))
    assert r.returncode == 0, r.stderr
    env["MUSKAN_BACKUP_PASSPHRASE"] = "wrong passphrase"
    r = muskan(laptop, "backup", "restore", str(archive))
    assert r.returncode == 4 and "Wrong passphrase" in r.stderr
    env["MUSKAN_BACKUP_PASSPHRASE"] = PASS
    r = muskan(laptop, "backup", "restore", str(archive))
    assert r.returncode == 0 and "40 cases" in r.stdout, r.stderr
    assert muskan(laptop, "cases", "list", "--json").stdout == before
    r = muskan(laptop, "audit", "verify")
    assert r.returncode == 0, r.stderr
