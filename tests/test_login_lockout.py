"""Logins that do not tell names apart, a lockout the environment cannot lift, and a limit on
tries per client across names (issue 15, item 13).

On the laptop (the core and the real `muskan` command) and on the server's officer login API
(the real app, on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from muskan_desktop.accounts import (
    LOCK_MINUTES,
    LOGIN_FAILED,
    MAX_FAILURES,
    AccountService,
    LoginError,
)
from muskan_desktop.models import AuditEvent
from muskan_desktop.server import officers
from muskan_desktop.server.app import create_app
from muskan_desktop.server.store import ServerStore

from .conftest import fixed
from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import station_codes

SHO_PW = "sho-password-1"
OP_PW = "operator-pw-1"


# -- the laptop ----------------------------------------------------------------------------------
def _accounts(ctx):
    acc = AccountService(ctx)
    acc.add("sho", "sho", SHO_PW)
    acc.add("op", "operator", OP_PW)
    acc.add("gone", "operator", "gone-password-1")
    acc.set_active("gone", False)
    return acc


def _refusal(acc: AccountService, name: str, password: str) -> str:
    with pytest.raises(LoginError) as e:
        acc.login(name, password)
    return e.value.message


def test_laptop_says_the_same_for_unknown_wrong_disabled_and_locked(ctx):
    acc = _accounts(fixed(ctx))
    said = {
        "unknown name": _refusal(acc, "nobody.here", "some-password"),
        "disabled": _refusal(acc, "gone", "gone-password-1"),  # its right password
    }
    for i in range(MAX_FAILURES):  # the op's wrong passwords: no countdown in any of them
        said[f"wrong {i + 1}"] = _refusal(acc, "op", f"guess-{i}")
    said["locked, right password"] = _refusal(acc, "op", OP_PW)
    assert set(said.values()) == {LOGIN_FAILED}, said
    assert "locked" in LOGIN_FAILED and "disabled" in LOGIN_FAILED  # the officer learns why
    # the account is locked indeed (the SHO sees it) and the trail says what happened
    acc.login("sho", SHO_PW)
    op = next(o for o in acc.list() if o.username == "op")
    assert op.locked_until is not None and op.locked_until > ctx.clock()
    with ctx.db.read() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent))]
    assert "account_locked" in actions and "login_refused_locked" in actions
    # after the lock time the right password works again
    later = ctx.clock() + dt.timedelta(minutes=LOCK_MINUTES + 1)
    ctx.clock = lambda: later
    assert acc.login("op", OP_PW).username == "op"


LAPTOP_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in ("MUSKAN_HOME", "MUSKAN_PASSWORD", "MUSKAN_OFFICER")
}


def _muskan(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "muskan_desktop.cli", "--home", str(home), *args],
        env={**LAPTOP_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_environment_does_not_lift_the_lockout(tmp_path):
    home = tmp_path / "h"
    r = _muskan(home, "officer", "add", "sho", "--role", "sho", MUSKAN_NEW_PASSWORD=SHO_PW)
    assert r.returncode == 0, r.stderr
    lifted = {"MUSKAN_MAX_LOGIN_FAILURES": "1000", "MUSKAN_OFFICER": "sho"}
    for i in range(MAX_FAILURES):
        r = _muskan(home, "login", **lifted, MUSKAN_PASSWORD=f"guess-{i}")
        assert r.returncode == 7, r.stdout + r.stderr
    r = _muskan(home, "login", **lifted, MUSKAN_PASSWORD=SHO_PW)
    assert r.returncode == 7, r.stdout + r.stderr  # locked: the right password is refused
    assert "Traceback" not in r.stderr
    # and the refusal reads as any other failed login
    r2 = _muskan(home, "login", MUSKAN_OFFICER="nobody", MUSKAN_PASSWORD="x-password")
    assert r2.returncode == 7
    assert r.stderr == r2.stderr


# -- the server ----------------------------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgres"])
def server(request, tmp_path):
    url = (
        f"sqlite:///{tmp_path / 'server.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_cluster").create_db()
    )
    store = ServerStore(tmp_path / "server", url)
    info = station_codes(1)[0]
    store.add_station(info.code)
    officers.add(store, info.code, "sho", "sho", SHO_PW, None)
    officers.add(store, info.code, "op", "operator", OP_PW, None)
    officers.add(store, info.code, "gone", "operator", "gone-password-1", None)
    from muskan_desktop.server import schema

    with store.session() as s:
        s.execute(
            schema.officers.update()
            .where(schema.officers.c.username == "gone")
            .values(active=False)
        )
    app = create_app(store)
    yield store, app, info.code
    store.close()


def _client(app, host: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, client=(host, 40000))


def _login(http: TestClient, station: str, user: str, pw: str):
    return http.post(
        "/v1/officers/login", json={"station": station, "username": user, "password": pw}
    )


def test_server_answers_unknown_and_locked_names_alike(server):
    store, app, code = server
    # each kind of failure from its own address, so the per-client limit stays out of it
    answers = {}
    for name in ("op", "nobody.here", "gone", "sho"):
        http = _client(app, f"198.51.100.{len(answers) + 1}")
        seen = []
        for i in range(MAX_FAILURES + 2):
            pw = "gone-password-1" if name == "gone" else f"guess-{i}"
            r = _login(http, code, name, pw)
            seen.append((r.status_code, r.content))
        answers[name] = seen
    wrong_station = _login(_client(app, "198.51.100.9"), "NO-SUCH-STATION", "op", OP_PW)
    bodies = {b for seen in answers.values() for b in seen} | {
        (wrong_station.status_code, wrong_station.content)
    }
    assert len(bodies) == 1, bodies  # one status, one body, byte for byte
    status, body = bodies.pop()
    assert status == 401 and b"bad_login" in body and b"locked" in body
    # op and sho are locked now, as the administrator sees; their right passwords too get
    # nothing but the same answer
    r = _login(_client(app, "198.51.100.10"), code, "op", OP_PW)
    assert (r.status_code, r.content) == (status, body)
    locked = {o["username"] for o in officers.list_officers(store, code) if o["locked"]}
    assert locked == {"op", "sho"}
    # the administrator unlocks; the right password works
    officers.unlock(store, code, "op")
    r = _login(_client(app, "198.51.100.11"), code, "op", OP_PW)
    assert r.status_code == 200 and r.json()["role"] == "operator"


def test_server_limits_failed_logins_per_client_across_names(server):
    store, app, code = server
    log = app.state.login_failures
    now = [1000.0]
    log.clock = lambda: now[0]
    attacker = _client(app, "203.0.113.7")
    limit = log.limits.max_failures
    # different names each time (no account locks: at most one try per name), an
    # enrollment code and a token renewal among them
    for i in range(limit):
        if i == 3:
            r = attacker.post(
                "/v1/enroll", json={"code": "WRONG-CODE-1"}, headers={"X-Muskan-Schema": "0009"}
            )
        elif i == 4:
            r = attacker.post(
                "/v1/token",
                json={"device_id": "0" * 36, "refresh_token": "nope"},
                headers={"X-Muskan-Schema": "0009"},
            )
        else:
            r = _login(attacker, code, f"name{i}", "guess-password")
        assert r.status_code == 401, r.text
    r = _login(attacker, code, "sho", SHO_PW)  # even the right password: not looked at
    assert r.status_code == 429, r.text
    assert r.json()["error"] == "too_many_failures"
    wait = int(r.headers["Retry-After"])
    assert 0 < wait <= log.limits.failure_window
    r = attacker.post("/v1/enroll", json={"code": "ABCD-EFGH"}, headers={"X-Muskan-Schema": "0009"})
    assert r.status_code == 429
    # nothing was counted against the accounts it did not reach
    assert not any(o["locked"] for o in officers.list_officers(store, code))
    # another computer is not affected; nor is an IPv6 client in another /64
    assert _login(_client(app, "203.0.113.8"), code, "sho", SHO_PW).status_code == 200
    assert _login(_client(app, "2001:db8:1::5"), code, "sho", SHO_PW).status_code == 200
    # when its oldest failure is older than the window, the client may try again
    now[0] += wait
    assert _login(attacker, code, "sho", SHO_PW).status_code == 200


def test_server_counts_an_ipv6_network_as_one_client(server):
    _store, app, code = server
    log = app.state.login_failures
    for i in range(log.limits.max_failures):
        host = f"2001:db8:7::{i + 1:x}"  # a different address in the same /64 each time
        assert _login(_client(app, host), code, f"n{i}", "guess-password").status_code == 401
    assert _login(_client(app, "2001:db8:7::ffff"), code, "sho", SHO_PW).status_code == 429


def test_failure_memory_is_bounded():
    from muskan_desktop.server.limits import FailureLog, Limits

    log = FailureLog(Limits(throttle_clients=100, max_failures=3))
    for i in range(1000):
        log.record(f"10.0.{i // 256}.{i % 256}")
    assert len(log.failures) == 100
    assert all(len(d) <= 3 for d in log.failures.values())
