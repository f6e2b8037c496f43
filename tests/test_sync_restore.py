"""SYNC.md's last scenario: the server restored from a day-old backup.

The restored server has forgotten a day of pushes (its receipts and device counters are
back where they were) and its feed counter runs again through numbers laptops have already
read past. Laptops must send the lost changes again and read the feed again from the
start, or they would silently miss other stations' new changes.
"""

from __future__ import annotations

import hashlib
import sqlite3

import psycopg
from sqlalchemy import select

from muskan_desktop.models import Case, Photo, TracingEntry

from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import station_codes
from .sync_world import (
    World,
    check_invariants,
    world_fixture,  # noqa: F401
)
from .test_sync_scenarios import _photo_case, missing, settle


class Backup:
    """A copy of the server's database (photos included), put back on `restore`: on
    PostgreSQL a database made from it as a template, on SQLite a copy of the file (through
    SQLite's online backup, which copies a consistent state whatever the WAL holds)."""

    def __init__(self, world: World) -> None:
        self.store = world.store
        self.store.engine.dispose()  # a template database must have no other sessions
        if not self.store.is_postgres:
            self.file = self.store.url.removeprefix("sqlite:///")
            self._copy(self.file, f"{self.file}.backup")
            return
        self.admin, self.db = self.store.url.replace("+psycopg", "").rsplit("/", 1)
        self.copy = f"{self.db}_backup"
        self._sql(f'CREATE DATABASE "{self.copy}" TEMPLATE "{self.db}"')

    @staticmethod
    def _copy(src: str, dst: str) -> None:
        with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
            a.backup(b)
        a.close()
        b.close()

    def _sql(self, *stmts: str) -> None:
        with psycopg.connect(f"{self.admin}/postgres", autocommit=True) as c:
            for stmt in stmts:
                c.execute(stmt)

    def restore(self) -> None:
        self.store.engine.dispose()
        if not self.store.is_postgres:
            self._copy(f"{self.file}.backup", self.file)
            return
        self._sql(
            f'DROP DATABASE "{self.db}" WITH (FORCE)',
            f'ALTER DATABASE "{self.copy}" RENAME TO "{self.db}"',
        )


def test_server_restored_from_a_day_old_backup_loses_nothing(world):
    a_info, b_info = station_codes(2)  # two stations of one district
    a = world.laptop("a", a_info)
    a2 = world.laptop("a2", a_info)  # a second laptop of station a
    b = world.laptop("b", b_info)
    first = missing(a, "Ravi")
    settle(world)

    backup = Backup(world)  # last night's backup

    # The day's work: station a edits, logs tracing, registers a child with a photo; the
    # other laptops read it all, so their cursors pass the backup's feed counter.
    a.cases().update(first.id, {"clothing": "blue shirt"})
    a.cases().add_tracing_entry(first.id, "called the school")
    second, photo = _photo_case(a)
    settle(world)
    with a2.ctx.db.read() as s:
        assert s.get(Case, second.id) is not None

    backup.restore()  # the server's disk failed; the admin restores last night's backup
    with world.store.session() as s:
        assert s.get(Case, second.id) is None  # the day's work is gone from the server

    # Station b registers a child after the restore: its feed numbers are ones a and a2
    # have already read past.
    third = missing(b, "Sita")
    notes = b.sync().notes
    assert any("restored from a backup" in n for n in notes)  # b read past the counter too
    a_res = a.sync()
    assert any("sent again" in n for n in a_res.notes), a_res.notes
    settle(world)

    with world.store.session() as s:  # what the server had lost came back from laptop a
        assert s.get(Case, first.id).clothing == "blue shirt"
        assert s.get(Case, second.id) is not None
        assert s.scalar(select(Photo.sha256).where(Photo.case_id == second.id)) == photo.sha256
        assert s.scalar(select(TracingEntry.action).where(TracingEntry.case_id == first.id))
    kept = world.store.read_blob(photo.sha256)  # the photo came back from laptop a too
    assert kept is not None and hashlib.sha256(kept).hexdigest() == photo.sha256
    for lap in (a, a2, b):  # and nobody missed station b's new child
        with lap.ctx.db.read() as s:
            assert s.get(Case, third.id) is not None, lap.home.name
            assert s.get(Case, first.id).clothing == "blue shirt"
    check_invariants(world)


def test_a_laptop_first_synced_after_the_backup_reads_the_feed_again(world):
    a_info, b_info = station_codes(2)
    a = world.laptop("a", a_info)
    b = world.laptop("b", b_info)  # enrolled before the backup, not yet synced
    backup = Backup(world)
    mine = missing(b, "Gita")
    settle(world)  # b's first push and pull happen after the backup
    backup.restore()
    theirs = missing(a, "Mohan")  # takes feed numbers b has read past
    a.sync()
    assert any("restored from a backup" in n for n in b.sync().notes)
    settle(world)
    for lap in (a, b):
        with lap.ctx.db.read() as s:
            assert s.get(Case, theirs.id) is not None, lap.home.name
            assert s.get(Case, mine.id) is not None, lap.home.name
    check_invariants(world)
