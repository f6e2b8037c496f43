"""Officer accounts on the server (real PostgreSQL): roles enforced on what laptops push, the
accounts laptops get for offline login, the officer login API with its lockout, and the
`muskan-server officer` commands."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from muskan_desktop.accounts import MAX_FAILURES
from muskan_desktop.context import open_context
from muskan_desktop.models import Case, Officer
from muskan_desktop.roles import PermissionDenied
from muskan_desktop.server import officers
from muskan_desktop.sync.tables import outbox
from muskan_desktop.transfer import export_cases

from .conftest import TODAY, fixed
from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import station_codes
from .sync_world import world_fixture  # noqa: F401  (SQLite and PostgreSQL)

PW = {"sho": "sho-password-1", "op": "operator-pw-1", "vw": "viewer-pw-1"}


def server_accounts(world, code):
    officers.add(world.store, code, "sho", "sho", PW["sho"], "SHO")
    officers.add(world.store, code, "op", "operator", PW["op"], None)
    officers.add(world.store, code, "vw", "viewer", PW["vw"], None)


def act_as(lap, name, role="sho"):
    """The laptop believes `name` may do anything (a stale or tampered laptop): only the
    server's own account table can stop it."""
    lap.ctx.actor, lap.ctx.role = name, role


def new_case(lap, name):
    return lap.cases().create({"kind": "missing", "name_latin": name, "sex": "M", "age_years": 9})


def receipts(lap, entity):
    with lap.ctx.db.read() as s:
        q = select(outbox).where(outbox.c.entity == entity).order_by(outbox.c.seq)
        return [(r.actor, r.state, r.receipt) for r in s.execute(q)]


def test_server_refuses_what_the_servers_roles_do_not_allow(world):
    info, _ = station_codes(2)
    a = world.laptop("a", info)
    a.sync()
    server_accounts(world, info.code)
    act_as(a, "sho")
    x = new_case(a, "Ravi")
    y = new_case(a, "Mohan")
    a.sync()
    # an operator closing a case as a duplicate (merging it away: a delete) ...
    act_as(a, "op")
    a.cases().transition(x.id, "close", {"closed_reason": "duplicate_report"})
    # ... a viewer editing, and someone with no account at this station on the server
    act_as(a, "vw")
    a.cases().update(y.id, {"clothing": "green shirt"})
    act_as(a, "stranger")
    new_case(a, "Unknown")
    act_as(a, "sho")
    a.cases().add_tracing_entry(y.id, "asked at the bus stand")
    res = a.sync()
    assert res.rejected >= 3
    got = {(actor, state): rc for actor, state, rc in receipts(a, "cases") if state == "rejected"}
    assert "may not delete" in got[("op", "rejected")]["reason"]
    assert "'viewer' may not edit" in got[("vw", "rejected")]["reason"]
    assert "no account at this station" in got[("stranger", "rejected")]["reason"]
    (lifecycle,) = [r for r in receipts(a, "lifecycle_events") if r[0] == "op"]
    assert lifecycle[1] == "rejected" and "may not delete" in lifecycle[2]["reason"]
    # never applied, and the queue is not wedged: the SHO's later entry went through
    with world.store.session() as s:
        assert s.get(Case, x.id).status == "missing"
        assert s.get(Case, y.id).clothing is None
        assert s.scalar(select(Case.id).where(Case.name_latin == "Unknown")) is None
    assert [r[1] for r in receipts(a, "tracing_entries")] == ["applied"]
    assert a.client().pending() == 0


def test_laptops_get_the_stations_accounts_and_enforce_them_offline(world):
    info, _ = station_codes(2)
    a = world.laptop("a", info)
    server_accounts(world, info.code)
    act_as(a, "sho")
    case = new_case(a, "Ravi")
    a.sync()  # pulls the station's accounts (name, role, argon2 hash, locked state)
    with a.ctx.db.read() as s:
        held = {o.username: o.role for o in s.scalars(select(Officer))}
    assert held == {"sho": "sho", "op": "operator", "vw": "viewer"}
    # offline now: each officer logs in on the laptop with the server's password
    vw = fixed(open_context(a.home, actor="vw", password=PW["vw"]))
    try:
        with pytest.raises(PermissionDenied, match="may not edit"):
            _cases(vw).update(case.id, {"clothing": "x"})
        with pytest.raises(PermissionDenied, match="may not export"):
            export_cases(vw, a.home / "all.csv")
        assert not (a.home / "all.csv").exists()
    finally:
        vw.db.close()
    op = fixed(open_context(a.home, actor="op", password=PW["op"]))
    try:
        with pytest.raises(PermissionDenied, match="may not delete"):
            _cases(op).transition(case.id, "close", {"closed_reason": "duplicate_report"})
        _cases(op).update(case.id, {"clothing": "blue shirt"})  # an operator edits
    finally:
        op.db.close()


def _cases(ctx):
    from muskan_desktop.cases import CaseService

    return CaseService(ctx)


def test_accounts_made_before_enrolling_reach_the_server_and_the_other_laptop(world):
    from muskan_desktop.accounts import AccountService

    info, _ = station_codes(2)
    world.store.add_station(info.code)
    from .sync_helpers import Laptop

    a = Laptop(world.root / "a", world.store, info, "SI a", world.base, TODAY)
    acc = AccountService(a.ctx)
    acc.add("sho", "sho", PW["sho"])  # the first account ends set-up mode
    acc.add("op", "operator", PW["op"])
    new_case(a, "Ravi")
    a.enroll(world.store.enrollment_code(info.code))
    world.laptops.append(a)
    res = a.sync()
    assert res.rejected == 0
    held = {o["username"]: o["role"] for o in officers.list_officers(world.store, info.code)}
    assert held == {"sho": "sho", "op": "operator"}
    # a second laptop of the station: the accounts come down, the same password works
    b = world.laptop("b", info)
    b.sync()
    ctx = open_context(b.home, actor="op", password=PW["op"])
    assert ctx.role == "operator"
    ctx.db.close()
    # a password changed on laptop a reaches the server and laptop b
    acc.change_password("op", None, "operator-pw-2")
    a.sync()
    b.sync()
    ctx = open_context(b.home, actor="op", password="operator-pw-2")
    assert ctx.actor == "op"
    ctx.db.close()


def test_officer_login_api_lockout_unlock_and_reading(world):
    info, other = station_codes(2)  # one district
    a = world.laptop("a", info)
    new_case(a, "Ravi")
    a.sync()
    server_accounts(world, info.code)
    http = httpx.Client(base_url="http://muskan.test", transport=world.base)

    def login(user, pw, station=info.code):
        return http.post(
            "/v1/officers/login", json={"station": station, "username": user, "password": pw}
        )

    r = login("vw", PW["vw"])
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert http.get("/v1/officers/me", headers=auth).json()["role"] == "viewer"
    cases = http.get("/v1/officers/cases", headers=auth).json()["cases"]
    assert [c["name_latin"] for c in cases] == ["Ravi"]  # the district's cases, read-only
    assert http.get("/v1/officers/cases").status_code == 401  # no token, nothing
    # a device token is not an officer token
    assert http.get("/v1/officers/me", headers={"Authorization": "Bearer nope"}).status_code == 401
    # five wrong passwords lock the account for 15 minutes, the right one included
    for _ in range(MAX_FAILURES - 1):
        r = login("op", "wrong-password")
        assert r.status_code == 401 and "Wrong" in r.json()["message"]
    r = login("op", "wrong-password")
    assert r.status_code == 401 and "locked" in r.json()["message"]
    r = login("op", PW["op"])
    assert r.status_code == 401 and "locked" in r.json()["message"]
    assert officers.list_officers(world.store, info.code)[0]["locked"] is True
    # the administrator unlocks it from the command line; the officer changes the password
    base = [sys.executable, "-m", "muskan_desktop.server.cli"]
    base += ["--home", str(world.root / "server"), "--db", world.store.url]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUSKAN_")}

    def server_cli(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*base, *args], capture_output=True, text=True, env={**env, **extra_env}, timeout=60
        )

    out = server_cli("officer", "unlock", "op", "--station", info.code)
    assert out.returncode == 0, out.stderr
    token = login("op", PW["op"]).json()["token"]
    r = http.post(
        "/v1/officers/password",
        json={"old": PW["op"], "new": "operator-pw-9"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    assert login("op", PW["op"]).status_code == 401
    assert login("op", "operator-pw-9").status_code == 200
    # accounts are per station: the same name at another station is another account
    assert login("op", "operator-pw-9", station=other.code).status_code == 401
    out = server_cli(
        "officer", "add", "clerk", "--station", info.code, "--role", "operator",
        MUSKAN_NEW_PASSWORD="clerk-pw-12",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    out = server_cli("officer", "list", "--station", info.code)
    assert "clerk" in out.stdout and "operator" in out.stdout
    # every login, failure, lock, read and password change through the API is on record
    out = server_cli("officer", "log", "--station", info.code)
    log = out.stdout
    for action in (
        "officer_login",
        "officer_login_failed",
        "officer_locked",
        "officer_login_refused_locked",
        "officer_cases_read",
        "officer_password_change",
        "officer_unlock",
        "officer_add",
    ):
        assert f"\t{action}\t" in log, action
    with pytest.raises(DBAPIError, match="append-only"), world.store.engine.begin() as c:
        c.execute(text("DELETE FROM server_officer_events"))
