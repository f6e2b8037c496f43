"""Issue 15, item 1, at the command line: an operator's own new password reaches the server
only with the old one, handed in by `muskan officer passwd` itself (the process ends, and a
pushed hash would prove nothing). Real `muskan` processes against a real `muskan-server
serve`, on SQLite and on PostgreSQL."""

from __future__ import annotations

import httpx
import pytest

from muskan_desktop.server import officers

from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import station_codes
from .test_sync_process import Server, _env, muskan

PW = {"sho": "sho-password-1", "op": "operator-pw-1"}


@pytest.fixture(params=["sqlite", "postgres"])
def setup(request, tmp_path):
    env = _env(tmp_path)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_db()
    srv = Server(tmp_path, url, env)
    yield srv, env
    if srv.proc.poll() is None:
        srv.stop()


def test_officer_passwd_hands_an_own_password_to_the_server_with_the_old_one(setup, tmp_path):
    srv, env = setup
    info, _ = station_codes(2)
    srv.store.add_station(info.code)
    officers.add(srv.store, info.code, "sho", "sho", PW["sho"], "SHO")
    officers.add(srv.store, info.code, "op", "operator", PW["op"], None)
    home = str(tmp_path / "laptop")
    code = srv.store.enrollment_code(info.code, "operator")
    muskan(env, "--home", home, "enroll", "--server", srv.url, "--code", code)
    muskan(env, "--home", home, "sync")  # the station's accounts come down
    as_op = env | {"MUSKAN_OFFICER": "op", "MUSKAN_PASSWORD": PW["op"]}

    def server_login(password):
        return httpx.post(
            srv.url + "/v1/officers/login",
            json={"station": info.code, "username": "op", "password": password},
        ).status_code

    out = muskan(
        as_op | {"MUSKAN_NEW_PASSWORD": "operator-pw-2"}, "--home", home, "officer", "passwd"
    )
    assert "The server has the new password too." in out.stdout, out.stdout + out.stderr
    assert server_login("operator-pw-2") == 200
    assert server_login(PW["op"]) == 401
    # the next round keeps it on the laptop (the server's copy of the same password)
    new = env | {"MUSKAN_OFFICER": "op", "MUSKAN_PASSWORD": "operator-pw-2"}
    muskan(new, "--home", home, "sync")
    assert "logged in as op" in muskan(new, "--home", home, "login").stdout
    # with the server away, the officer is told the truth
    srv.stop()
    out = muskan(
        new | {"MUSKAN_NEW_PASSWORD": "operator-pw-3"}, "--home", home, "officer", "passwd"
    )
    assert "could not be reached, so it still has the old password" in out.stdout
