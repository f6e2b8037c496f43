"""Helpers for sync tests: an in-memory keyring, stations with a laptop each, the real
server app in-process over httpx's ASGI-free WSGI-like transport."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import keyring
from keyring.backend import KeyringBackend
from sqlalchemy import select

from muskan_desktop import places
from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context, open_context
from muskan_desktop.server.app import create_app
from muskan_desktop.server.store import ServerStore
from muskan_desktop.sync.client import SyncClient
from muskan_desktop.sync.enroll import enroll

from .conftest import fixed


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process (headless Linux has none)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class ServerProcess:
    """A real `muskan-server serve` on a spare port of 127.0.0.1, answering /healthz."""

    def __init__(self, home: Path, url: str, env: dict[str, str]) -> None:
        import socket
        import subprocess
        import sys
        import time

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        args = ["--home", str(home), "--db", url, "serve", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "muskan_desktop.server.cli", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(200):
            try:
                if httpx.get(self.url + "/healthz").status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def process_env(tmp: Path, passphrase: str) -> dict[str, str]:
    """The environment of real `muskan` and `muskan-server` processes of a sync test: this
    source tree, a file keyring of their own in `tmp`, a register passphrase and an officer."""
    import os

    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(Path(__file__).resolve().parents[1]),
        PYTHON_KEYRING_BACKEND="tests.keyring_file.FileKeyring",
        MUSKAN_TEST_KEYRING=str(tmp / "keyring.json"),
        MUSKAN_PASSPHRASE=passphrase,
        MUSKAN_OFFICER="SI Process",
    )
    return env


def use_memory_keyring() -> MemoryKeyring:
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    return kr


def station_codes(n: int) -> list[places.StationInfo]:
    """n stations: the first two in one district, the rest in others where possible."""
    all_st = places.stations()
    by_d: dict[str, list[places.StationInfo]] = {}
    for s in all_st:
        by_d.setdefault(s.district.en, []).append(s)
    ds = list(by_d.values())
    out = [ds[0][0], ds[0][1]]
    i = 1
    while len(out) < n:
        out.append(ds[i % len(ds)][i // len(ds)])
        i += 1
    return out[:n]


class Laptop:
    def __init__(
        self,
        home: Path,
        server: Any,
        info: places.StationInfo,
        actor: str,
        transport: httpx.BaseTransport,
        today: dt.date,
    ) -> None:
        self.home, self.server, self.info, self.actor = home, server, info, actor
        self.transport = transport
        self.today = today
        self.ctx = self.open()

    @classmethod
    def existing(
        cls,
        home: Path,
        server: Any,
        info: places.StationInfo,
        actor: str,
        transport: httpx.BaseTransport,
        today: dt.date,
    ) -> Laptop:
        """A laptop from a register already set up (and enrolled) for this station."""
        lap = cls.__new__(cls)
        lap.home, lap.server, lap.info, lap.actor = home, server, info, actor
        lap.transport, lap.today = transport, today
        lap.ctx = fixed(open_context(home, actor=actor), today)
        return lap

    def open(self) -> Context:
        ctx = fixed(open_context(self.home, actor=self.actor), self.today)
        with ctx.db.write() as s:
            CaseService(ctx).set_own_station(s, self.info)
        return ctx

    def reopen(self) -> None:
        self.ctx.db.close()
        self.ctx = fixed(open_context(self.home, actor=self.actor), self.today)

    def http(self) -> httpx.Client:
        return httpx.Client(base_url="http://muskan.test", transport=self.transport, timeout=30)

    def enroll(self, code: str) -> dict[str, Any]:
        return enroll(self.ctx, "http://muskan.test", code, http=self.http())

    def client(self, **kw: Any) -> SyncClient:
        kw.setdefault("sleep", lambda _s: None)
        return SyncClient(self.ctx, http=self.http(), **kw)

    def sync(self, **kw: Any) -> Any:
        return self.client(**kw).sync_once()

    def cases(self) -> CaseService:
        return CaseService(self.ctx)

    def close(self) -> None:
        self.ctx.db.close()


def make_server(
    home: Path, url: str, clock: Callable[[], dt.datetime] | None = None, **kw: Any
) -> tuple[ServerStore, Any]:
    store = ServerStore(home, url, **({"clock": clock} if clock else {}), **kw)
    return store, create_app(store)


class AppTransport(httpx.BaseTransport):
    """The real app in-process, synchronously, through Starlette's test client."""

    def __init__(self, app: Any) -> None:
        from starlette.testclient import TestClient

        self.tc = TestClient(app, raise_server_exceptions=False)
        self.tc.__enter__()  # one event-loop thread for every request, not one each

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        r = self.tc.send(request)
        return httpx.Response(r.status_code, headers=r.headers, content=r.content)


def row_count(ctx: Context, model: Any) -> int:
    with ctx.db.read() as s:
        return len(s.scalars(select(model)).all())


class FaultyTransport(httpx.BaseTransport):
    """The network between a laptop and the server, with faults on demand.

    `plan(request, n)` returns what happens to the n-th request: "ok"; "drop" (never
    arrives); "lose" (the server handles it, the answer is lost); "dup" (arrives twice);
    "503" (the server answers an error without handling it); "truncate" (the answer is cut
    short); "stale" (an older request arrives again first: delay and reordering).
    """

    def __init__(self, inner: httpx.BaseTransport, plan: Callable[[httpx.Request, int], str]):
        self.inner = inner
        self.plan = plan
        self.n = 0
        self.held: list[httpx.Request] = []
        self.log: list[tuple[str, str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.n += 1
        body = request.read()
        action = self.plan(request, self.n)
        self.log.append((request.method, request.url.path, action))
        if request.method in ("POST", "PUT"):
            self.held = (self.held + [_copy(request, body)])[-8:]
        if action == "drop":
            raise httpx.ConnectError("dropped", request=request)
        if action == "503":
            return httpx.Response(503, json={"error": "unavailable", "message": "storm"})
        if action == "stale" and len(self.held) > 1:
            self.inner.handle_request(_copy(self.held[0], self.held[0].read()))
        resp = self.inner.handle_request(_copy(request, body))
        if action == "dup":
            resp = self.inner.handle_request(_copy(request, body))
        if action == "lose":
            raise httpx.ReadError("connection reset after the server answered", request=request)
        if action == "truncate":
            content = resp.read()
            return httpx.Response(
                resp.status_code,
                headers={"content-type": "application/json"},
                content=content[: max(1, len(content) // 2)],
            )
        return resp


def _copy(request: httpx.Request, body: bytes) -> httpx.Request:
    return httpx.Request(request.method, request.url, headers=request.headers, content=body)


def ok_plan(_r: httpx.Request, _n: int) -> str:
    return "ok"
