"""README's "Two laptops, one case, nothing lost", as a new user types it on a computer
without a keyring: real `muskan-server` and `muskan` processes, the register opened with a
passphrase, the server credential kept inside the encrypted register."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .test_sync_process import ROOT, _port


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUSKAN_")}
    env.update(
        PYTHONPATH=str(ROOT),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # no keyring at all
        MUSKAN_PASSPHRASE="try-it-out",
    )
    return env


def run(env, *args) -> str:
    mod = "muskan_desktop.server.cli" if args[0] == "muskan-server" else "muskan_desktop.cli"
    r = subprocess.run(
        [sys.executable, "-m", mod, *args[1:]], env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, f"{args}: {r.returncode} {r.stderr[-2000:]}"
    return r.stdout.strip()


@pytest.fixture
def server(tmp_path):
    env, port = _env(), _port()
    srv = str(tmp_path / "srv")
    run(env, "muskan-server", "--home", srv, "station", "add", "--code", "SURGUJA-AMBIKAPUR")
    cmd = [sys.executable, "-m", "muskan_desktop.server.cli", "--home", srv, "serve"]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(url + "/healthz").status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield srv, url
    proc.terminate()
    proc.wait(10)


def test_two_laptops_one_case_nothing_lost_without_a_keyring(server, tmp_path):
    srv, url = server
    env = _env()
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    code_a = run(env, "muskan-server", "--home", srv, "device", "enroll", "--station",
                 "SURGUJA-AMBIKAPUR").split()[-1]  # fmt: skip
    code_b = run(env, "muskan-server", "--home", srv, "device", "enroll", "--station",
                 "SURGUJA-AMBIKAPUR").split()[-1]  # fmt: skip
    run(env, "muskan", "--home", a, "enroll", "--server", url, "--code", code_a)
    run(env, "muskan", "--home", b, "enroll", "--server", url, "--code", code_b)
    case = run(env, "muskan", "--home", a, "cases", "add", "--kind", "missing", "--name",
               "Sita Kumari", "--sex", "F", "--age", "7")  # fmt: skip
    run(env, "muskan", "--home", a, "sync")
    run(env, "muskan", "--home", b, "sync")  # b now has the case
    run(env, "muskan", "--home", a, "cases", "edit", case, "--set", "clothing=red frock")
    run(env, "muskan", "--home", b, "cases", "edit", case, "--set", "clothing=green frock")
    for home in (a, b, a):
        run(env, "muskan", "--home", home, "sync")
    for home in (a, b):  # the later arrival is kept, the other value waits for review
        shown = json.loads(run(env, "muskan", "--home", home, "cases", "show", case, "--json"))
        assert shown["clothing"] == "green frock"
        status = json.loads(run(env, "muskan", "--home", home, "sync", "--status"))
        (conflict,) = status["conflicts"]
        assert (conflict["field"], conflict["kept"], conflict["other"]) == (
            "clothing", "green frock", "red frock",
        )  # fmt: skip
    # The credential is inside the encrypted register, not in a readable file.
    for home in (a, b):
        for f in Path(home).rglob("*"):
            if f.is_file():
                assert b"refresh_token" not in f.read_bytes(), f
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            sqlite3.connect(next(Path(home).glob("*.db"))).execute("select 1 from meta").close()
