"""The name search reads indexes alone (each page a cold search reads is decrypted first),
and a register from before those indexes gets them when it is opened."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select
from sqlalchemy.dialects import sqlite

from muskan_desktop.cases import CaseService
from muskan_desktop.context import open_context
from muskan_desktop.db import SCHEMA_HEAD, Database, alembic_config
from muskan_desktop.models import Case
from muskan_desktop.search import CaseFilter, SearchIndex

NEW = {"ix_name_keys_key_case", "ix_cases_id_sort"}


def indexes(db: Database) -> set[str]:
    with db.read() as s:
        rows = s.connection().exec_driver_sql("SELECT name FROM sqlite_master WHERE type='index'")
        return {r[0] for r in rows}


def plan(db: Database, f: CaseFilter) -> str:
    with db.read() as s:
        q = SearchIndex.for_db(db).query(s, f).with_only_columns(Case.id)
        q = q.order_by(Case.reported_on.desc(), Case.id.desc())
        sql = str(q.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
        rows = s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(r[-1] for r in rows)


def test_name_search_reads_no_case_or_name_rows(ctx):
    svc = CaseService(ctx)
    for i in range(40):
        name = "Sunita Minj" if i % 2 else "Puja Tirki"
        svc.create({"kind": "missing", "name_latin": name, "sex": "F", "age_years": 9})
    ctx.db.analyze()
    for name in ("Sunita Minj", "Sunitha"):
        text = plan(ctx.db, CaseFilter(name=name))
        reads = [
            line for line in text.splitlines() if " cases " in f"{line} " or "name_keys" in line
        ]
        assert any(" cases " in line for line in reads) and any("name_keys" in r for r in reads)
        assert all("COVERING INDEX" in line for line in reads), text


def test_a_register_from_before_gets_the_indexes_and_finds_the_same(home):
    ctx = open_context(home)
    svc = CaseService(ctx)
    ids = [
        svc.create({"kind": "missing", "name_latin": n, "sex": "F", "age_years": 9}).id
        for n in ("Sunita Minj", "Suneeta Lakra", "Puja Tirki")
    ]
    db = ctx.db
    before = SCHEMA_HEAD
    down = ScriptDirectory.from_config(alembic_config()).get_revision(before).down_revision
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, str(down))
    assert not NEW & indexes(db) and "ix_name_keys_key" in indexes(db)
    db.close()

    ctx = open_context(home)  # encrypted, migrated in place (a backup first)
    try:
        assert indexes(ctx.db) >= NEW and "ix_name_keys_key" not in indexes(ctx.db)
        assert list((home / "backups").glob(f"muskan-before-{SCHEMA_HEAD}-*.db"))
        with ctx.db.read() as s:
            idx = SearchIndex.for_db(ctx.db)
            assert {c.id for c in idx.search(s, CaseFilter(name="Sunitha"))} == set(ids[:2])
            assert [c.id for c in idx.search(s, CaseFilter(name="पूजा तिर्की", limit=5))] == [ids[2]]
            assert s.scalar(select(Case.id).where(Case.id == ids[0])) == ids[0]
    finally:
        ctx.db.close()
