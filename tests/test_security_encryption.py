"""Encryption at rest: the register, the photos, the keys, and migrating an old folder."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest
from keyring.backends import null
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from muskan_desktop import keystore, security_migrate
from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context, open_context
from muskan_desktop.db import Database, connect_raw, make_engine
from muskan_desktop.demo import DemoGenerator
from muskan_desktop.keystore import KeyUnavailable
from muskan_desktop.models import Case, Photo
from muskan_desktop.paths import DB_FILENAME
from muskan_desktop.photos import PhotoService, PhotoStore, load_photo, make_thumbnail

from .conftest import fixed, shared_dir

FACES = ("obama.jpg", "biden.jpg", "obama2.jpg")


@pytest.fixture
def faces() -> Path:
    return shared_dir() / "data" / "faces"


def test_register_file_is_not_readable_without_the_key(ctx: Context, home: Path):
    CaseService(ctx).create(
        {"kind": "missing", "name_latin": "Pushpa Ekka", "sex": "F", "age_years": "7"}
    )
    ctx.db.close()
    con = sqlite3.connect(home / DB_FILENAME)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        con.execute("SELECT * FROM cases").fetchall()
    con.close()
    raw = (home / DB_FILENAME).read_bytes()
    assert b"Pushpa" not in raw and b"SQLite format 3" not in raw
    for side in home.glob(f"{DB_FILENAME}-*"):  # the WAL is encrypted too
        assert b"Pushpa" not in side.read_bytes()


def test_photo_files_are_not_readable_images(ctx: Context, home: Path, faces: Path):
    case = CaseService(ctx).create({"kind": "found", "sex": "M", "age_years": "12"})
    photo = PhotoService(ctx).add(case.id, faces / "obama.jpg")
    store = PhotoStore(home)
    stored = store.path(photo.sha256)
    thumb = store.thumbnail(photo.sha256)
    assert stored is not None and thumb is not None
    for p in (stored, thumb):
        with pytest.raises(UnidentifiedImageError):
            Image.open(p)
        assert b"JFIF" not in p.read_bytes() and b"Exif" not in p.read_bytes()
    # the register reads them back, checked against their hash
    assert store.read(photo.sha256) == (faces / "obama.jpg").read_bytes()
    assert Image.open(io.BytesIO(store.thumbnail_bytes(photo.sha256) or b"")).format == "JPEG"
    # a file swapped for another photo's does not pass as it
    other = PhotoService(ctx).add(case.id, faces / "biden.jpg")
    other_path = store.path(other.sha256)
    assert other_path is not None
    stored.write_bytes(other_path.read_bytes())
    with pytest.raises(Exception, match="damaged"):
        store.read(photo.sha256)


def test_keys_never_reach_the_disk_in_clear(ctx: Context, home: Path, faces: Path):
    case = CaseService(ctx).create({"kind": "found", "sex": "M", "age_years": "12"})
    PhotoService(ctx).add(case.id, faces / "obama.jpg")
    keys = ctx.db.keys
    assert keys is not None
    ctx.db.close()
    secrets_ = (keys.db, keys.photo, keys.db.hex().encode(), keys.photo.hex().encode())
    for p in home.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert not any(s in data for s in secrets_), p


def test_without_a_keyring_a_passphrase_is_asked_for(tmp_path: Path, monkeypatch):
    old = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    try:
        monkeypatch.delenv("MUSKAN_PASSPHRASE", raising=False)
        keystore.set_session_passphrase(None)
        home = tmp_path / "laptop"
        with pytest.raises(KeyUnavailable, match="no usable keyring") as e:
            open_context(home)
        assert "MUSKAN_PASSPHRASE" in e.value.message
        assert not (home / DB_FILENAME).exists()
        assert keystore.needs_passphrase(home)
        monkeypatch.setenv("MUSKAN_PASSPHRASE", "a long passphrase")
        ctx = open_context(home)
        CaseService(ctx).create({"kind": "found", "sex": "F", "age_years": "4"})
        ctx.db.close()
        keystore.forget(home)
        monkeypatch.setenv("MUSKAN_PASSPHRASE", "not the passphrase")
        with pytest.raises(KeyUnavailable, match="Wrong passphrase"):
            open_context(home)
        monkeypatch.setenv("MUSKAN_PASSPHRASE", "a long passphrase")
        ctx = open_context(home)
        with ctx.db.read() as s:
            assert len(s.scalars(select(Case)).all()) == 1
        ctx.db.close()
    finally:
        keyring.set_keyring(old)
        keystore.forget(tmp_path / "laptop")


# -- migrating a folder written before encryption -------------------------------------------
PEOPLE = [("Ramesh Kujur", "9826012345"), ("Anita Minj", "9425098765"), ("Sunil Toppo", None)]


def plain_folder(home: Path, faces: Path) -> dict[str, object]:
    """A data folder as the version before encryption wrote it: a plain SQLite register (with
    a WAL), plain photo and thumbnail files. Returns what it holds."""
    home.mkdir(parents=True)
    path = home / DB_FILENAME
    db = Database(path, make_engine(path))
    db.migrate(backup=False)
    ctx = fixed(Context(db=db, actor="SI Old", device="old-laptop"))
    svc = CaseService(ctx)
    ids = []
    for name, phone in PEOPLE:
        fields = {"kind": "missing", "name_latin": name, "sex": "M", "age_years": "9"}
        if phone:
            fields["guardian_phone"] = phone
        ids.append(svc.create(fields).id)
    shas = []
    for i, f in enumerate(FACES):
        loaded = load_photo(faces / f)
        folder = home / "photos" / loaded.sha256[:2]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{loaded.sha256}.{loaded.ext}").write_bytes(loaded.data)
        tfolder = home / "thumbs" / loaded.sha256[:2]
        tfolder.mkdir(parents=True, exist_ok=True)
        (tfolder / f"{loaded.sha256}.jpg").write_bytes(make_thumbnail(loaded.image))
        with db.write() as s:
            s.add(
                Photo(
                    case_id=ids[i],
                    sha256=loaded.sha256,
                    mime=loaded.mime,
                    width=loaded.width,
                    height=loaded.height,
                    added_at=ctx.clock(),
                    added_by="SI Old",
                )
            )
        shas.append((loaded.sha256, hashlib.sha256(loaded.data).hexdigest()))
    rows = _rows_plain(path)
    db.engine.dispose()
    assert (home / DB_FILENAME).read_bytes()[:16] == b"SQLite format 3\x00"
    return {"ids": ids, "shas": shas, "rows": rows}


def _rows_plain(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT * FROM cases ORDER BY id").fetchall()
    finally:
        con.close()


def _rows(ctx: Context) -> list[tuple[object, ...]]:
    con = connect_raw(ctx.db.path, ctx.db.keys)
    try:
        return con.execute("SELECT * FROM cases ORDER BY id").fetchall()
    finally:
        con.close()


def assert_migrated(home: Path, before: dict[str, object], faces: Path) -> None:
    ctx = open_context(home)
    try:
        assert _rows(ctx) == before["rows"]
        store = PhotoStore(home)
        for sha, digest in before["shas"]:  # type: ignore[attr-defined]
            assert hashlib.sha256(store.read(sha)).hexdigest() == digest
            path = store.path(sha)
            assert path is not None
            with pytest.raises(UnidentifiedImageError):
                Image.open(path)
            assert store.thumbnail_bytes(sha)
            thumb = store.thumbnail(sha)
            assert thumb is not None and not thumb.read_bytes().startswith(b"\xff\xd8")
    finally:
        ctx.db.close()
    con = sqlite3.connect(home / DB_FILENAME)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        con.execute("SELECT count(*) FROM cases").fetchall()
    con.close()
    raw = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file() and "logs" not in p.parts)
    for name, phone in PEOPLE:
        assert name.encode() not in raw
        assert phone is None or phone.encode() not in raw
    assert not list(home.glob("*.encrypting*"))


def test_an_old_folder_is_encrypted_in_place(tmp_path: Path, faces: Path):
    home = tmp_path / "old"
    before = plain_folder(home, faces)
    assert_migrated(home, before, faces)
    assert_migrated(home, before, faces)  # opening again changes nothing


def test_a_crash_before_the_swap_leaves_the_plain_register_whole(
    tmp_path: Path, faces: Path, monkeypatch
):
    home = tmp_path / "old"
    before = plain_folder(home, faces)

    def crash(*a: object) -> None:
        raise KeyboardInterrupt  # the power goes just before the rename

    with monkeypatch.context() as m:
        m.setattr(security_migrate.os, "replace", crash)
        with pytest.raises(KeyboardInterrupt):
            open_context(home)
    assert _rows_plain(home / DB_FILENAME) == before["rows"]  # untouched, still readable
    assert_migrated(home, before, faces)


def test_a_crash_half_way_through_the_photos_loses_none(tmp_path: Path, faces: Path, monkeypatch):
    home = tmp_path / "old"
    before = plain_folder(home, faces)
    import muskan_desktop.security_migrate as migrate_mod

    real = migrate_mod.atomic_write
    calls = {"n": 0}

    def dies_on_the_third(target: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        real(target, data)

    with monkeypatch.context() as m:
        m.setattr(migrate_mod, "atomic_write", dies_on_the_third)
        with pytest.raises(KeyboardInterrupt):
            open_context(home)
    # half-way: the register is encrypted, some photos are, some not; all still readable
    keys = keystore.load_keys(home, create=False)
    store = PhotoStore(home, keys.photo)
    for sha, digest in before["shas"]:  # type: ignore[attr-defined]
        assert hashlib.sha256(store.read(sha)).hexdigest() == digest
    assert_migrated(home, before, faces)


def test_kill_9_during_migration_loses_nothing(tmp_path: Path):
    """A real process killed with SIGKILL while it encrypts an 8,000-case register, at a
    random moment after the encrypted copy has started: the next open finishes the job."""
    home = tmp_path / "old"
    home.mkdir()
    path = home / DB_FILENAME
    db = Database(path, make_engine(path))
    db.migrate(backup=False)
    DemoGenerator(fixed(Context(db=db, actor="demo", device="d")), 3).generate(8000)
    before = _rows_plain(path)
    db.engine.dispose()
    rnd = random.Random(int(os.environ.get("MUSKAN_KILL_SEED", "5")))
    code = "import sys, pathlib; from muskan_desktop.context import open_context; "
    code += "open_context(pathlib.Path(sys.argv[1]))"
    tmp = home / f"{DB_FILENAME}.encrypting"
    killed_mid_way = 0
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", code, str(home)])
        deadline = time.monotonic() + 60
        while not tmp.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rnd.uniform(0.0, 0.2))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed_mid_way += path.read_bytes()[:16] == b"SQLite format 3\x00"
        proc.wait()
        if path.read_bytes()[:16] == b"SQLite format 3\x00":
            assert _rows_plain(path) == before  # still the whole plain register
        else:
            break
    assert killed_mid_way >= 1
    ctx = open_context(home)
    try:
        assert _rows(ctx) == before
    finally:
        ctx.db.close()


def test_keys_stored_without_the_hmac_field_open_a_sha512_register(tmp_path: Path):
    """Keys written before the page HMAC was chosen mean SQLCipher 4's default (SHA-512)."""
    new = keystore.RegisterKeys.new()
    assert new.hmac == "HMAC_SHA256"
    old = keystore.RegisterKeys.from_json("r1", json.dumps({"db": "ab" * 32, "photo": "cd" * 32}))
    assert old.hmac == "HMAC_SHA512"
    path = tmp_path / "old.db"
    con = connect_raw(path, old)
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (42)")
    con.commit()
    con.close()
    con = connect_raw(path, old)
    assert con.execute("SELECT x FROM t").fetchall() == [(42,)]
    con.close()
    wrong = keystore.RegisterKeys("r1", old.db, old.photo, "HMAC_SHA256")
    con = connect_raw(path, wrong)
    with pytest.raises(Exception, match="not a database"):
        con.execute("SELECT x FROM t").fetchall()
    con.close()
