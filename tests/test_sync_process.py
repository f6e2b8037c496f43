"""Process-level chaos: real `muskan sync` processes killed with SIGKILL mid-push and
mid-pull, and PostgreSQL restarted while the server applies a push. Real uvicorn."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from muskan_desktop import places
from muskan_desktop.models import Case
from muskan_desktop.server import schema
from muskan_desktop.server.store import ServerStore

from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import ServerProcess, process_env, station_codes

ROOT = Path(__file__).resolve().parents[1]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp: Path) -> dict[str, str]:
    return process_env(tmp, "process-test-passphrase")


def muskan(env, *args, check=True, **kw):
    cmd = [sys.executable, "-m", "muskan_desktop.cli", *args]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, **kw)
    if check and r.returncode != 0:
        raise AssertionError(f"{args}: {r.returncode} {r.stderr[-2000:]}")
    return r


class Server(ServerProcess):
    """The server process, with a store on its database for the test's own look-ups."""

    def __init__(self, tmp: Path, url: str, env: dict[str, str]) -> None:
        self.home = tmp / "server"
        self.store = ServerStore(self.home, url)
        super().__init__(self.home, url, env)

    def stop(self) -> None:
        super().stop()
        self.store.close()

    def last_seq(self) -> int:
        with self.store.session() as s:
            return int(s.scalar(select(func.max(schema.devices.c.last_seq))) or 0)

    def case_ids(self) -> set[str]:
        with self.store.session() as s:
            return set(s.scalars(select(Case.id)))


@pytest.fixture
def setup(tmp_path, pg_cluster):
    env = _env(tmp_path)
    srv = Server(tmp_path, pg_cluster.create_db(), env)
    yield srv, env, pg_cluster
    srv.stop()


def _laptop(tmp, env, srv, info: places.StationInfo, name: str, cases: int) -> Path:
    home = tmp / name
    srv.store.add_station(info.code)
    if cases:
        _fill(home, env, info, cases)
    code = srv.store.enrollment_code(info.code)
    muskan(env, "--home", str(home), "enroll", "--server", srv.url, "--code", code)
    return home


def _fill(home: Path, env: dict[str, str], info: places.StationInfo, n: int) -> None:
    """n missing-child cases of the laptop's own station, written in one transaction."""
    import datetime as dt

    import keyring

    from muskan_desktop.cases import CaseService
    from muskan_desktop.context import open_context
    from muskan_desktop.ids import new_id

    from .keyring_file import FileKeyring

    old = {k: os.environ.get(k) for k in ("MUSKAN_TEST_KEYRING", "MUSKAN_PASSPHRASE")}
    os.environ["MUSKAN_TEST_KEYRING"] = env["MUSKAN_TEST_KEYRING"]
    os.environ["MUSKAN_PASSPHRASE"] = env["MUSKAN_PASSPHRASE"]
    prev = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    try:
        ctx = open_context(home, actor="SI Process")
        now = dt.datetime(2026, 11, 1, 10, 0)
        with ctx.db.write() as s:
            st = CaseService(ctx).set_own_station(s, info)
            rows = [
                {
                    "id": new_id(),
                    "kind": "missing",
                    "status": "missing",
                    "station_id": st.id,
                    "district": st.district_en,
                    "reported_on": dt.date(2026, 10, 1),
                    "name_latin": f"Child {i}",
                    "sex": "F",
                    "age_years": 5 + i % 12,
                    "created_at": now,
                    "created_by": "SI Process",
                    "updated_at": now,
                    "updated_by": "SI Process",
                    "version": 1,
                }
                for i in range(n)
            ]
            CaseService(ctx).bulk_insert(s, rows)
        ctx.db.close()
    finally:
        keyring.set_keyring(prev)
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _status(env, home) -> dict:
    import json

    return json.loads(muskan(env, "--home", str(home), "sync", "--status").stdout)


def _kill_during(env, home, moment) -> int:
    """Start `muskan sync`, SIGKILL it when `moment()` says so; returns the exit status."""
    cmd = [sys.executable, "-m", "muskan_desktop.cli", "--home", str(home), "sync"]
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while p.poll() is None and time.monotonic() < deadline:
        if moment():
            p.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    return p.wait(30)


def test_kill_9_mid_push_and_mid_pull_loses_nothing(setup, tmp_path):
    srv, env, _pg = setup
    a_info, b_info = station_codes(2)
    a = _laptop(tmp_path, env, srv, a_info, "a", 3000)
    total = _status(env, a)["pending"]
    assert total > 3000
    # mid-push: killed after the server committed the first batch, before the rest
    rc = _kill_during(env, a, lambda: 0 < srv.last_seq() < total)
    assert rc == -signal.SIGKILL
    assert 0 < srv.last_seq() < total
    muskan(env, "--home", str(a), "sync")
    assert srv.last_seq() == total and _status(env, a)["pending"] == 0
    # mid-pull: a new laptop in the same district pulls thousands of cases in pages
    b = _laptop(tmp_path, env, srv, b_info, "b", 0)
    started = time.monotonic()
    rc = _kill_during(env, b, lambda: time.monotonic() - started > 2.5)
    muskan(env, "--home", str(b), "sync")
    muskan(env, "--home", str(b), "sync")
    got = muskan(env, "--home", str(b), "cases", "list", "--json").stdout
    import json

    have = {c["id"] for c in json.loads(got)}
    assert have == srv.case_ids()  # all of them, once, after the kill


def test_postgresql_restart_mid_apply_applies_exactly_once(setup, tmp_path):
    srv, env, pg = setup
    a_info, _ = station_codes(2)
    a = _laptop(tmp_path, env, srv, a_info, "a", 3000)
    total = _status(env, a)["pending"]
    restarted = []

    def moment():
        if not restarted and srv.last_seq() > 0:
            pg.restart()  # while the next batches are being applied
            restarted.append(True)
        return False

    cmd = [sys.executable, "-m", "muskan_desktop.cli", "--home", str(a), "sync"]
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while p.poll() is None:
        moment()
        time.sleep(0.02)
    assert restarted
    for _ in range(5):
        if muskan(env, "--home", str(a), "sync", check=False).returncode == 0:
            break
        time.sleep(1)
    assert srv.last_seq() == total
    assert _status(env, a)["pending"] == 0
    with srv.store.session() as s:
        n = s.scalar(select(func.count()).select_from(schema.receipts))
    assert n == total  # one receipt per entry: nothing applied twice
