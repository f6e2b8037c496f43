"""Issue 15, items 1, 7, 8 and 9: the server believes the device's credential, not what an
entry says about itself, and keeps the register's own rules. Attacks are hand-written
requests with a real enrolled device's credential against the real app, on SQLite and on
PostgreSQL; the legitimate paths go through the real laptops' sync code."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text

from muskan_desktop.accounts import AccountService
from muskan_desktop.context import open_context
from muskan_desktop.ids import new_id
from muskan_desktop.matching import MatchService
from muskan_desktop.models import Case, FaceEmbedding, LifecycleEvent, Meta, TracingEntry
from muskan_desktop.server import officers, schema
from muskan_desktop.sync import credentials, rows
from muskan_desktop.sync.client import SyncClient, _headers
from muskan_desktop.sync.tables import outbox

from .conftest import TODAY, fixed, shared_dir
from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import Laptop, station_codes
from .sync_world import World, world_fixture  # noqa: F401  (SQLite and PostgreSQL)

PW = {"sho": "sho-password-1", "op": "operator-pw-1"}
ATTACKER_PW = "attacker-pw-1"
FACES = shared_dir() / "data" / "faces"


# -- helpers ---------------------------------------------------------------------------------
def enrolled(world, name, info, role="sho"):
    """A laptop of `info`'s station enrolled with `role` (world.laptop enrolls as SHO)."""
    world.store.add_station(info.code)
    lap = Laptop(world.root / name, world.store, info, f"SI {name}", world.base, TODAY)
    lap.enroll(world.store.enrollment_code(info.code, role))
    world.laptops.append(lap)
    return lap


class Wire:
    """Hand-written requests with a laptop's real device credential (its own outbox is never
    synced afterwards: these entries take the next numbers on the server)."""

    def __init__(self, world, lap):
        with lap.ctx.db.read() as s:
            self.device = s.scalar(select(Meta.value).where(Meta.key == "sync_device"))
        cred = credentials.load(self.device, lap.ctx.db)
        self.world = world
        self.http = httpx.Client(base_url="http://muskan.test", transport=world.base)
        self.headers = _headers() | {"Authorization": f"Bearer {cred.token}"}

    def push(self, *entries: dict[str, Any]) -> list[dict[str, Any]]:
        with self.world.store.session() as s:
            last = s.scalar(
                select(schema.devices.c.last_seq).where(schema.devices.c.id == self.device)
            )
        body = [{"seq": int(last) + 1 + i, **e} for i, e in enumerate(entries)]
        r = self.http.post("/v1/push", json={"entries": body}, headers=self.headers)
        assert r.status_code == 200, r.text
        return r.json()["receipts"]


def login(world, station, user, password):
    http = httpx.Client(base_url="http://muskan.test", transport=world.base)
    return http.post(
        "/v1/officers/login", json={"station": station, "username": user, "password": password}
    )


def account(name, role, password, changed_at="2026-11-01T12:00:00", active=True):
    return {
        "id": new_id(),
        "username": name,
        "full_name": None,
        "role": role,
        "password_hash": PasswordHasher().hash(password),
        "active": active,
        "password_changed_at": changed_at,
    }


def upsert(data, actor, role="sho"):
    return {
        "entity": "officers",
        "row_id": data["id"],
        "op": "upsert",
        "data": data,
        "actor": actor,
        "role": role,
    }


def server_accounts(world, code):
    officers.add(world.store, code, "sho", "sho", PW["sho"], "SHO")
    officers.add(world.store, code, "op", "operator", PW["op"], None)


def missing(lap, name="Ravi", **kw):
    return lap.cases().create(
        {"kind": "missing", "name_latin": name, "sex": "M", "age_years": 9, **kw}
    )


def server_case(world, case_id):
    with world.store.session() as s:
        return s.get(Case, case_id)


def server_cli(world, *args, **env_extra):
    base = [sys.executable, "-m", "muskan_desktop.server.cli"]
    base += ["--home", str(world.root / "server"), "--db", world.store.url]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUSKAN_")}
    return subprocess.run(
        [*base, *args], capture_output=True, text=True, env={**env, **env_extra}, timeout=120
    )


def officer_ctx(lap, name, password):
    return fixed(open_context(lap.home, actor=name, password=password))


def held_hash(lap, name):
    from muskan_desktop.models import Officer

    with lap.ctx.db.read() as s:
        return s.scalar(select(Officer.password_hash).where(Officer.username == name))


# -- item 1: account takeover ----------------------------------------------------------------
def test_an_operator_device_cannot_take_over_the_sho_or_add_an_admin(world):
    info, _ = station_codes(2)
    op_lap = enrolled(world, "op", info, role="operator")
    server_accounts(world, info.code)
    wire = Wire(world, op_lap)
    sho = account("sho", "sho", ATTACKER_PW, changed_at="2031-01-01T00:00:00")
    got = wire.push(
        upsert(sho, actor="sho"),  # "I am the SHO": the entry says so
        upsert(sho, actor="op"),  # the real operator, changing the SHO's password
        upsert(account("root", "admin", ATTACKER_PW), actor="sho"),
        upsert(account("clerk", "operator", ATTACKER_PW), actor="sho"),
        upsert(account("op", "sho", PW["op"]), actor="op"),  # raising one's own role
    )
    assert [r["status"] for r in got] == ["rejected"] * 5, got
    assert "only the SHO may change another officer's account" in got[1]["reason"]
    # the attacker's password opens nothing; the SHO's own still does
    assert login(world, info.code, "sho", ATTACKER_PW).status_code == 401
    assert login(world, info.code, "sho", PW["sho"]).status_code == 200
    assert login(world, info.code, "root", ATTACKER_PW).status_code == 401
    held = {o["username"]: o["role"] for o in officers.list_officers(world.store, info.code)}
    assert held == {"sho": "sho", "op": "operator"}


def test_an_sho_laptop_may_not_add_an_admin_or_raise_above_itself(world):
    info, _ = station_codes(2)
    sho_lap = enrolled(world, "s", info)
    server_accounts(world, info.code)
    wire = Wire(world, sho_lap)
    got = wire.push(
        upsert(account("root", "admin", ATTACKER_PW), actor="sho"),
        upsert(account("clerk", "operator", "clerk-pw-12"), actor="op"),  # an operator adds
        upsert(account("clerk", "operator", "clerk-pw-12"), actor="sho"),  # the SHO adds
    )
    assert [r["status"] for r in got] == ["rejected", "rejected", "applied"], got
    assert "administrator's account is made on the server only" in got[0]["reason"]
    assert login(world, info.code, "root", ATTACKER_PW).status_code == 401
    assert login(world, info.code, "clerk", "clerk-pw-12").status_code == 200


def test_an_own_new_password_reaches_the_server_only_with_the_old_one(world):
    info, _ = station_codes(2)
    a = enrolled(world, "a", info, role="operator")
    b = world.laptop("b", info)
    server_accounts(world, info.code)
    a.sync()
    b.sync()  # both laptops hold the station's accounts now
    # the operator changes their own password on laptop a, logged in there
    op = officer_ctx(a, "op", PW["op"])
    try:
        AccountService(op).change_password("op", PW["op"], "operator-pw-2")
        with op.db.read() as s:  # no pushed hash: the server would not take it from a laptop
            assert s.scalar(select(outbox.c.seq).where(outbox.c.entity == "officers")) is None
        res = SyncClient(op, http=a.http(), sleep=lambda _s: None).sync_once()
        assert res.rejected == 0
    finally:
        op.db.close()
    assert login(world, info.code, "op", "operator-pw-2").status_code == 200
    assert login(world, info.code, "op", PW["op"]).status_code == 401
    b.sync()
    ctx = officer_ctx(b, "op", "operator-pw-2")  # offline login on the other laptop
    assert ctx.actor == "op"
    ctx.db.close()
    # the pushed-hash way, by hand, is refused with a reason the officer can act on
    wire = Wire(world, a)
    (got,) = wire.push(upsert(account("op", "operator", "operator-pw-3"), actor="op"))
    assert got["status"] == "rejected" and "only with the old one" in got["reason"]
    assert login(world, info.code, "op", "operator-pw-3").status_code == 401


def test_a_forward_dated_change_does_not_win_and_the_admins_reset_reaches_laptops(world):
    info, _ = station_codes(2)
    a = world.laptop("a", info)
    b = world.laptop("b", info)
    x = enrolled(world, "x", info)  # an SHO's laptop whose clock (or owner) says 2031
    server_accounts(world, info.code)
    a.sync()
    b.sync()
    (got,) = Wire(world, x).push(
        upsert(account("op", "operator", ATTACKER_PW, changed_at="2031-01-01T00:00:00"), "sho")
    )
    assert got["status"] == "applied"  # the SHO may reset it ...
    with world.store.session() as s:
        when = s.scalar(
            select(schema.officers.c.password_changed_at).where(schema.officers.c.username == "op")
        )
    assert when == world.now  # ... at the server's time, not the laptop's 2031
    a.sync()
    # the administrator resets it on the server (the real command)
    out = server_cli(
        world, "officer", "passwd", "op", "--station", info.code,
        MUSKAN_NEW_PASSWORD="operator-pw-9",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    a.sync()
    b.sync()
    for lap in (a, b):
        ctx = officer_ctx(lap, "op", "operator-pw-9")
        assert ctx.role == "operator"
        ctx.db.close()
        with pytest.raises(Exception, match="Wrong officer name or password|password"):
            officer_ctx(lap, "op", ATTACKER_PW)


# -- item 7: the enrolled role is a ceiling --------------------------------------------------
def close_as_duplicate(case, actor, role="sho"):
    event = {
        "id": new_id(),
        "case_id": case.id,
        "seq": 1,
        "action": "close",
        "from_status": "missing",
        "to_status": "closed",
        "at": "2026-11-01T10:00:00",
        "by": actor,
        "details": {"closed_reason": "duplicate_report"},
    }
    change = {
        "status": "closed",
        "closed_reason": "duplicate_report",
        "closed_on": "2026-11-01",
        "updated_at": "2026-11-01T10:00:00",
        "updated_by": actor,
    }
    return [
        {"entity": "lifecycle_events", "row_id": event["id"], "op": "insert", "data": event,
         "actor": actor, "role": role},
        {"entity": "cases", "row_id": case.id, "op": "update", "data": change,
         "base": {"status": 1, "closed_reason": 1, "closed_on": 1}, "actor": actor,
         "role": role},
    ]  # fmt: skip


@pytest.mark.parametrize("accounts", [False, True], ids=["set-up mode", "with accounts"])
def test_an_operator_device_cannot_close_a_case_as_a_duplicate(world, accounts):
    info, _ = station_codes(2)
    a = world.laptop("a", info)
    case = missing(a)
    a.sync()
    op_lap = enrolled(world, "op", info, role="operator")
    actor = "SI op"
    if accounts:
        server_accounts(world, info.code)
        officers.add(world.store, info.code, "sho.x", "sho", "sho-x-password", None)
        actor = "sho.x"
    got = Wire(world, op_lap).push(*close_as_duplicate(case, actor))
    assert [r["status"] for r in got] == ["rejected", "rejected"], got
    assert all("enrolled as 'operator', which may not delete" in r["reason"] for r in got)
    assert server_case(world, case.id).status == "missing"
    with world.store.session() as s:
        assert s.scalar(select(LifecycleEvent.id).where(LifecycleEvent.case_id == case.id)) is None
    # the same device's ordinary work still goes through
    entry = {
        "id": new_id(),
        "case_id": case.id,
        "done_on": "2026-11-01",
        "action": "asked at the bus stand",
        "by": actor,
        "created_at": "2026-11-01T10:00:00",
    }
    (ok,) = Wire(world, op_lap).push(
        {"entity": "tracing_entries", "row_id": entry["id"], "op": "insert", "data": entry,
         "actor": actor, "role": "sho"}
    )  # fmt: skip
    assert ok["status"] == "applied", ok


# -- item 8: one set of rules ----------------------------------------------------------------
BAD_VALUES = {
    "age 25": ("age_years", 25),
    "date in 2099": ("last_seen_on", "2099-01-01"),
    "5 MB field": ("clothing", "x" * 5_000_000),
    "formula name": ("name_latin", "=cmd|' /C calc'!A0"),
}


@pytest.mark.parametrize("bad", sorted(BAD_VALUES))
def test_the_server_refuses_what_the_register_refuses(world, bad):
    field, value = BAD_VALUES[bad]
    info, _ = station_codes(2)
    a = world.laptop("a", info)
    b = world.laptop("b", info)
    x = enrolled(world, "x", info)
    good = missing(a, reported_on="2026-10-20", last_seen_on="2026-10-19")
    a.sync()
    with a.ctx.db.read() as s:
        wire_row = rows.row_to_wire("cases", s.get(Case, good.id))
    planted = dict(wire_row, id=new_id(), **{field: value})
    edit = {field: value, "updated_at": "2026-11-01T10:00:00", "updated_by": "SI x"}
    got = Wire(world, x).push(
        {"entity": "cases", "row_id": planted["id"], "op": "insert", "data": planted,
         "actor": "SI x"},
        {"entity": "cases", "row_id": good.id, "op": "update", "data": edit,
         "base": {field: 1}, "actor": "SI x"},
    )  # fmt: skip
    assert [r["status"] for r in got] == ["rejected", "rejected"], got
    for r in got:
        assert r["reason"].startswith("the register's rules refuse it: " + field), r["reason"]
        assert len(r["reason"]) <= 400
    assert server_case(world, planted["id"]) is None
    assert getattr(server_case(world, good.id), field) == getattr(good, field)
    b.sync()  # never spread: the other laptop has the good case as it was, and no other
    with b.ctx.db.read() as s:
        assert s.get(Case, planted["id"]) is None
        assert getattr(s.get(Case, good.id), field) == getattr(good, field)
    a.cases().update(good.id, {"clothing": "red shirt"})  # the laptop's own edits still go
    assert a.sync().rejected == 0
    assert server_case(world, good.id).clothing == "red shirt"


def test_the_server_refuses_lifecycle_tracing_and_risk_rows_the_register_refuses(world):
    info, _ = station_codes(2)
    a = world.laptop("a", info)
    b = world.laptop("b", info)
    x = enrolled(world, "x", info)
    case = missing(a, reported_on="2026-10-20", last_seen_on="2026-10-19")
    a.sync()

    def child(entity, **data):
        data = {"id": new_id(), "case_id": case.id, **data}
        return {"entity": entity, "row_id": data["id"], "op": "insert", "data": data,
                "actor": "SI x"}  # fmt: skip

    step = {"at": "2026-11-01T10:00:00", "by": "SI x", "seq": 1}
    got = Wire(world, x).push(
        # a step the lifecycle does not have (missing -> restored)
        child("lifecycle_events", action="restore", from_status="missing",
              to_status="restored", details={"restored_on": "2026-10-30",
                                             "restored_to": "mother"}, **step),
        # a real step dated in 2099
        child("lifecycle_events", action="recover", from_status="missing",
              to_status="recovered", details={"recovered_on": "2099-01-01"}, **step),
        child("tracing_entries", done_on="2099-01-01", action="asked around", by="SI x",
              created_at="2026-11-01T10:00:00"),
        child("tracing_entries", done_on="2026-10-30", action="y" * 5_000_000, by="SI x",
              created_at="2026-11-01T10:00:00"),
        child("risk_assessments", level="extreme", checklist=[], assessed_on="2026-11-01",
              assessed_by="SI x", review_due="2026-11-08", note=None),
        child("risk_assessments", level="high", checklist=["under_12"],
              assessed_on="2026-11-01", assessed_by="SI x", review_due="2026-10-01",
              note=None),
    )  # fmt: skip
    assert [r["status"] for r in got] == ["rejected"] * 6, got
    assert "lifecycle has no step 'restore'" in got[0]["reason"]
    assert "recovered_on: 2099-01-01 is in the future" in got[1]["reason"]
    assert "done_on: 2099-01-01 is in the future" in got[2]["reason"]
    assert "action: is too long" in got[3]["reason"]
    assert "level: use low, medium or high" in got[4]["reason"]
    assert "review_due" in got[5]["reason"]
    b.sync()
    with b.ctx.db.read() as s:
        assert s.scalar(select(TracingEntry.id)) is None
        assert s.scalar(select(LifecycleEvent.id)) is None
        assert s.get(Case, case.id).status == "missing"
    # the laptop's own steps still go through
    a.cases().transition(case.id, "recover", {"recovered_on": "2026-10-30"})
    a.cases().add_tracing_entry(case.id, "called the helpline", "2026-10-30")
    a.cases().assess_risk(case.id, "high", ["under_12"])
    assert a.sync().rejected == 0
    assert server_case(world, case.id).status == "recovered"


# -- item 9: another face; no database text in a receipt --------------------------------------
def embeddings(session, case_id):
    return [
        (e.id, e.box)
        for e in session.scalars(select(FaceEmbedding).where(FaceEmbedding.case_id == case_id))
    ]


def test_choosing_another_face_reaches_the_server_and_the_other_laptop(world):
    info, _ = station_codes(2)
    a = world.laptop("a", info)
    b = world.laptop("b", info)
    case = missing(a)
    MatchService(a.ctx).add_photo(case.id, FACES / "two_people.jpg", face=1)
    assert a.sync().rejected == 0
    b.sync()
    MatchService(a.ctx).add_photo(case.id, FACES / "two_people.jpg", face=2)
    with a.ctx.db.read() as s:
        (chosen,) = embeddings(s, case.id)
    res = a.sync()
    assert res.rejected == 0
    with world.store.session() as s:
        assert embeddings(s, case.id) == [chosen]
    b.sync()
    with b.ctx.db.read() as s:
        assert embeddings(s, case.id) == [chosen]


def test_a_database_refusal_reaches_the_laptop_as_a_plain_reason(world, caplog):
    info, _ = station_codes(2)
    a = world.laptop("a", info)
    case = missing(a)
    a.sync()
    # a rule only the database knows (one tracing entry a day), as a deployment might add
    with world.store.engine.begin() as c:
        c.execute(text("CREATE UNIQUE INDEX one_a_day ON tracing_entries (case_id, done_on)"))
    a.cases().add_tracing_entry(case.id, "asked at the bus stand", "2026-10-30")
    a.cases().add_tracing_entry(case.id, "asked the neighbours", "2026-10-30")
    res = a.sync()
    assert res.rejected == 1
    with a.ctx.db.read() as s:
        (receipt,) = s.scalars(select(outbox.c.receipt).where(outbox.c.state == "rejected"))
    reason = receipt["reason"]
    assert reason.startswith("a value does not fit the records"), reason
    for leak in ("UNIQUE", "unique", "constraint", "DETAIL", "Key (", "INSERT", "tracing_entries.",
                 "neighbours", "psycopg", "sqlite", "one_a_day"):  # fmt: skip
        assert leak not in reason, (leak, reason)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "neighbours" not in logged  # the log names the entry, never its data


def test_the_entrys_claimed_times_and_role_are_not_stored(world):
    """(item 1) what a laptop claims about when a password changed never orders anything."""
    info, _ = station_codes(2)
    x = enrolled(world, "x", info)
    (got,) = Wire(world, x).push(
        upsert(account("sho", "sho", PW["sho"], changed_at="2031-01-01T00:00:00"), "SI x")
    )
    assert got["status"] == "applied"  # set-up mode: an SHO device makes the first account
    with world.store.session() as s:
        row = s.execute(select(schema.officers)).one()
    assert row.password_changed_at == world.now
    assert dt.datetime(2031, 1, 1) != row.password_changed_at
