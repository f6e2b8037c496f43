"""Who made each queued change, audit events on their way to the server, and the anchored
end of the local audit trail."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from muskan_desktop import audit
from muskan_desktop.accounts import AccountService
from muskan_desktop.audit_trail import AuditTrail
from muskan_desktop.cases import CaseService
from muskan_desktop.context import open_context
from muskan_desktop.models import AuditEvent, Meta
from muskan_desktop.server import schema
from muskan_desktop.server.audit_log import breaks
from muskan_desktop.sync.outbox import DEVICE_KEY
from muskan_desktop.sync.tables import outbox

from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import station_codes, use_memory_keyring
from .sync_world import World, server_db_fixture  # noqa: F401
from .test_security_accounts import SHO_PW, muskan, with_accounts


def enrolled(ctx):
    """The outbox runs only on an enrolled register: a device id is enough for it."""
    with ctx.db.write() as s:
        s.merge(Meta(key=DEVICE_KEY, value="dev-test"))


def entries(ctx, entity=None):
    with ctx.db.read() as s:
        q = select(outbox).order_by(outbox.c.seq)
        if entity:
            q = q.where(outbox.c.entity == entity)
        return s.execute(q).mappings().all()


def test_outbox_entries_carry_the_logged_in_officer_and_role(ctx):
    with_accounts(ctx)
    enrolled(ctx)
    acc = AccountService(ctx)
    acc.login("op", "operator-pw-1")
    case = CaseService(ctx).create(
        {"kind": "missing", "name_latin": "Sunita", "sex": "F", "age_years": "9"}
    )
    acc.login("sho", SHO_PW)
    CaseService(ctx).update(case.id, {"clothing": "red frock"})
    got = [(e["entity"], e["op"], e["actor"], e["role"]) for e in entries(ctx)]
    assert ("cases", "insert", "op", "operator") in got
    assert ("cases", "update", "sho", "sho") in got
    # every entry says who and with what role (none left blank)
    assert all(e["actor"] and e["role"] for e in entries(ctx))


def test_bulk_import_entries_carry_the_role(ctx, tmp_path):
    from muskan_desktop.transfer import import_csv

    with_accounts(ctx)
    enrolled(ctx)
    AccountService(ctx).login("op", "operator-pw-1")
    path = tmp_path / "c.csv"
    path.write_text("kind,name_latin,sex,age_years\nmissing,Asha,F,9\nmissing,Ravi,M,7\n")
    assert import_csv(ctx, path).rejected == 0
    cases = entries(ctx, "cases")
    assert len(cases) == 2
    assert all(e["role"] == "operator" and e["actor"] == "op" for e in cases)


# -- audit events on the server (real PostgreSQL) ----------------------------------------------


@pytest.fixture
def world(tmp_path, server_db):
    import keyring

    prev = keyring.get_keyring()  # later tests' subprocesses share the suite's file keyring
    use_memory_keyring()
    w = World(tmp_path, server_db)
    yield w
    w.close()
    keyring.set_keyring(prev)


def server_events(world):
    with world.store.session() as s:
        return s.execute(
            select(schema.audit_events).order_by(
                schema.audit_events.c.received_at, schema.audit_events.c.local_seq
            )
        ).all()


def local_events(lap):
    with lap.ctx.db.read() as s:
        return s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()


def test_audit_events_reach_the_server_in_chain_and_stay_there(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)  # its station was set before enrolling: already audited
    b = world.laptop("b", a_info)
    case = a.cases().create({"kind": "missing", "name_latin": "Ravi", "sex": "M", "age_years": 9})
    a.cases().get(case.id)  # a case view
    a.sync()
    b.sync()
    mine = local_events(a)
    held = [r for r in server_events(world) if r.register_device == a.ctx.device]
    assert [r.id for r in held] == [e.id for e in mine]
    assert {r.action for r in held} >= {"station_set", "case_create", "case_view"}
    first, last = held[0], held[-1]
    assert first.prev_hash == "0" * 64 and last.hash == mine[-1].hash
    assert all(r.chain_break is None for r in held)
    assert {r.actor for r in held} == {"SI a"} and all(r.station_id for r in held)
    # never pulled down: b's trail holds only b's own events
    assert {e.device for e in local_events(b)} == {b.ctx.device}
    # append-only in the database itself
    for sql in ("UPDATE server_audit_events SET actor = 'x'", "DELETE FROM server_audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), world.store.engine.begin() as c:
            c.execute(text(sql))
    assert len(server_events(world)) == len(held) + len(local_events(b))


def test_a_gap_in_a_laptops_chain_is_flagged_not_swallowed(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    a.sync()
    case = a.cases().create({"kind": "missing", "name_latin": "Ravi", "sex": "M", "age_years": 9})
    a.cases().get(case.id)
    # the laptop's trail was tampered with before it was pushed: an event whose previous
    # hash is not the last one the server holds, and one whose content was changed
    with a.ctx.db.write() as s:
        pending = (
            s.execute(
                select(outbox)
                .where(outbox.c.entity == "audit_events", outbox.c.state == "pending")
                .order_by(outbox.c.seq)
            )
            .mappings()
            .all()
        )
        gap = dict(pending[0]["data"], prev_hash="f" * 64)
        edited = dict(pending[-1]["data"], action="case_list")
        s.execute(update(outbox).where(outbox.c.seq == pending[0]["seq"]).values(data=gap))
        s.execute(update(outbox).where(outbox.c.seq == pending[-1]["seq"]).values(data=edited))
    res = a.sync()
    assert res.rejected == 0  # stored, with the break beside it
    with a.ctx.db.read() as s:
        receipts = {r.seq: r.receipt for r in s.execute(select(outbox))}
    assert "audit chain break" in receipts[pending[0]["seq"]]["audit_chain_break"]
    assert "its own hash" in receipts[pending[-1]["seq"]]["audit_chain_break"]
    found = breaks(world.store)
    assert len(found) == 2 and all(b["register_device"] == a.ctx.device for b in found)
    # and the administrator sees them from the command line
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "muskan_desktop.server.cli",
            "--home",
            str(world.root / "server"),
            "--db",
            world.store.url,
            "audit",
            "breaks",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 8, out.stderr
    assert "audit chain break" in out.stdout


# -- rows cut off the end of the local trail ---------------------------------------------------


def cut_tail(home, n):
    """Delete the last n audit rows with a raw SQLCipher connection (as a tamperer would)."""
    ctx = open_context(home, actor="sho", password=SHO_PW)
    with ctx.db.write() as s:
        top = s.scalar(select(func.max(AuditEvent.seq)))
        s.execute(delete(AuditEvent).where(AuditEvent.seq > top - n))
    ctx.db.close()
    return top


@pytest.fixture
def suite_keyring():
    """The keyring the command-line subprocesses share (a sync test may have swapped it)."""
    import keyring
    from keyring.core import load_env

    prev = keyring.get_keyring()
    keyring.set_keyring(load_env())
    yield
    keyring.set_keyring(prev)


def test_rows_deleted_from_the_end_of_the_trail_are_caught_by_the_cli(tmp_path, suite_keyring):
    home = tmp_path / "h"
    for name in ("Ramesh", "Suresh", "Mahesh"):
        r = muskan(
            home, "cases", "add", "--kind", "missing", "--name", name, "--sex", "M", "--age", "8"
        )
        assert r.returncode == 0, r.stderr
    r = muskan(home, "officer", "add", "sho", "--role", "sho", MUSKAN_NEW_PASSWORD=SHO_PW)
    assert r.returncode == 0, r.stderr
    sho = {"MUSKAN_OFFICER": "sho", "MUSKAN_PASSWORD": SHO_PW}
    r = muskan(home, "audit", "verify", **sho)
    assert r.returncode == 0 and "intact" in r.stdout, r.stderr
    # the chain alone cannot see this: what is left is a perfect chain
    top = cut_tail(home, 3)  # cut_tail's own login adds a row first: that one goes too
    r = muskan(home, "audit", "verify", **sho)
    assert r.returncode == 8, r.stdout + r.stderr
    n = top - 3
    assert f"the audit trail ends at row {n} but row {top} was recorded" in r.stderr
    assert f"rows {n + 1}..{top} are missing" in r.stderr
    # writing more rows afterwards does not hide it (the verify above wrote one already)
    assert muskan(home, "cases", "list", **sho).returncode == 0
    r = muskan(home, "audit", "verify", **sho)
    assert r.returncode == 8 and f"rows {n + 1}..{top} are missing" in r.stderr


def test_an_altered_anchor_is_caught(ctx):
    with_accounts(ctx)
    assert AuditTrail(ctx).verify().ok
    with ctx.db.write() as s:
        raw = json.loads(s.get(Meta, audit.ANCHOR_KEY).value)
        raw["body"]["n"] -= 1  # made to agree with a shortened trail, without the key
        s.merge(Meta(key=audit.ANCHOR_KEY, value=json.dumps(raw)))
    result = AuditTrail(ctx).verify()
    assert result.broken is None and "anchor was altered" in result.problem


def test_a_removed_anchor_is_not_taken_for_a_new_trail(ctx, home):
    with_accounts(ctx)
    with ctx.db.write() as s:
        s.delete(s.get(Meta, audit.ANCHOR_KEY))
    assert "anchor is missing" in AuditTrail(ctx).verify().problem
    # reopening (or any new row) does not quietly anchor it again
    ctx.db.close()
    again = open_context(home, actor="sho", password=SHO_PW)
    try:
        problem = AuditTrail(again).verify().problem
    finally:
        again.db.close()
    assert "anchor was removed before row" in problem


def test_cut_off_rows_are_named_before_anything_else_is_written(ctx):
    with_accounts(ctx)
    with ctx.db.read() as s:
        top = s.scalar(select(func.max(AuditEvent.seq)))
    with ctx.db.write() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq > top - 2))
    result = AuditTrail(ctx).verify()
    assert not result.ok and result.broken is None
    want = f"ends at row {top - 2} but row {top} was recorded: rows {top - 1}..{top} are missing"
    assert want in result.problem and result.missing == (top - 1, top)
