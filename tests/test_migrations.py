"""Schema migrations: fresh, upgrade from the previous revision, refusal of a newer one."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect

from muskan_desktop.context import open_context
from muskan_desktop.db import SCHEMA_HEAD, Database, alembic_config, connect_raw, make_engine
from muskan_desktop.errors import StorageError
from muskan_desktop.models import Base
from muskan_desktop.names import name_keys
from muskan_desktop.paths import DB_FILENAME
from muskan_desktop.search import CaseFilter, SearchIndex


def test_fresh_register_has_every_table_and_wal(home):
    db = Database.open(home)
    try:
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with db.engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert (
                c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
            )
    finally:
        db.close()
    assert not (home / "backups").exists()  # nothing to back up on a fresh register


def test_models_match_migrations(home):
    """A column added to models.py without a migration fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = Database.open(home)
    try:
        with db.engine.connect() as c:
            diff = compare_metadata(MigrationContext.configure(c), Base.metadata)
        assert diff == []
    finally:
        db.close()


@pytest.mark.parametrize("start", ["0001", "0002"])
def test_upgrade_from_earlier_revisions_keeps_cases_and_indexes_names(home, start):
    home.mkdir()
    path = home / DB_FILENAME
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, start)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO stations (id, code, name_en, district_en, state_en) "
            "VALUES ('s1', 'SURGUJA-AMBIKAPUR', 'Ambikapur', 'Surguja', 'Chhattisgarh')"
        )
        conn.exec_driver_sql(
            "INSERT INTO cases (id, kind, status, station_id, district, reported_on, name_latin, "
            "name_deva, sex, age_is_estimate, created_at, created_by, updated_at, updated_by, "
            "version) VALUES ('c1', 'missing', 'missing', 's1', 'Surguja', '2026-10-01', NULL, "
            "'सुनीता मिंज', 'F', 1, '2026-10-01 10:00:00', 'x', '2026-10-01 10:00:00', 'x', 1)"
        )
        if start == "0002":  # that version wrote the name index with each case
            for key in name_keys("सुनीता मिंज"):
                conn.exec_driver_sql("INSERT INTO name_keys VALUES ('c1', ?)", (key,))
    engine.dispose()

    ctx = open_context(home)
    try:
        backups = list((home / "backups").glob(f"muskan-before-{SCHEMA_HEAD}-*.db"))
        assert len(backups) == 1
        old = connect_raw(backups[0], ctx.db.keys)  # encrypted too, with the register
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (start,)
        old.close()
        with ctx.db.read() as s:
            hits = SearchIndex.for_db(ctx.db).search(s, CaseFilter(name="Sunitha"))
            assert [c.id for c in hits] == ["c1"]
    finally:
        ctx.db.close()


def test_register_from_a_newer_version_is_refused_and_untouched(home):
    db = Database.open(home)
    db.close()
    path = home / DB_FILENAME
    con = connect_raw(path, db.keys)
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer version of Muskan Desktop"):
        Database.open(home)
    assert path.read_bytes() == before
    assert not (home / "backups").exists()


def test_schema_head_constant_is_the_newest_migration():
    from alembic.script import ScriptDirectory

    from muskan_desktop.db import SCHEMA_HEAD

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD
