"""What the server takes from a request it has not yet trusted (issue 15, items 11 and 12):
bodies limited before they are read, 422s that repeat nothing of the input, NaN and Infinity
refused with 400, and a log that never holds what a request carried.

The real app with a real enrolled laptop's credential, and the real server process
(`muskan-server serve`) for memory and logs; each on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from benchmarks.body_flood import Server, enrolled_token, flood
from muskan_desktop.ids import new_id, station_id
from muskan_desktop.models import Case
from muskan_desktop.server import schema
from muskan_desktop.server.app import create_app
from muskan_desktop.server.limits import KB, MB, Limits
from muskan_desktop.server.store import ServerStore

from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import station_codes

SCHEMA = {"X-Muskan-Schema": "0009"}
# what a request may carry that must never come back in an answer or go into the log
CHILD = "Parvati Kunjamxq"
PHONE = "+919876501234"
SECRET = "Zq7-" + "".join(f"secret{i:03d}-" for i in range(20))[:196]  # 200 characters
assert len(SECRET) == 200


def _url(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    return str(request.getfixturevalue("pg_cluster").create_db())


class Api:
    """The real app on a fresh database, a station, and an enrolled laptop's token."""

    def __init__(self, url: str, home: Path, limits: Limits | None = None) -> None:
        self.store = ServerStore(home, url)
        self.info = station_codes(1)[0]
        self.store.add_station(self.info.code)
        self.app = create_app(self.store, limits)
        self.http = TestClient(self.app, raise_server_exceptions=False)
        dev = self.store.enroll(self.store.enrollment_code(self.info.code), "laptop")
        self.device_id = dev["device_id"]
        self.auth = {"Authorization": f"Bearer {dev['token']}", **SCHEMA}

    def case_entry(self, seq: int = 1, **data: Any) -> dict[str, Any]:
        row = {
            "id": new_id(),
            "kind": "missing",
            "status": "missing",
            "station_id": station_id(self.info.code),
            "district": self.info.district.en,
            "reported_on": "2026-10-01",
            "name_latin": CHILD,
            "guardian_phone": PHONE,
            "sex": "F",
            "age_years": 8,
            "created_at": "2026-11-01T10:00:00",
            "created_by": "SI A",
            "updated_at": "2026-11-01T10:00:00",
            "updated_by": "SI A",
            "version": 1,
            **data,
        }
        return {"seq": seq, "entity": "cases", "row_id": row["id"], "op": "insert", "data": row}

    def nothing_applied(self) -> bool:
        with self.store.session() as s:
            cases = s.scalar(select(func.count()).select_from(Case))
            last = s.scalar(
                select(schema.devices.c.last_seq).where(schema.devices.c.id == self.device_id)
            )
        return cases == 0 and not last

    def close(self) -> None:
        self.http.close()
        self.store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def api(request, tmp_path) -> Iterator[Api]:
    a = Api(_url(request.param, request, tmp_path), tmp_path / "server")
    yield a
    a.close()


def _raw(http: TestClient, path: str, body: bytes, headers: dict[str, str] | None = None):
    return http.post(
        path, content=body, headers={"Content-Type": "application/json", **(headers or {})}
    )


# -- item 12: non-finite numbers -----------------------------------------------------------------
def test_nan_and_infinity_are_refused_with_400_everywhere(api):
    login = b'{"station": "%s", "username": "sho", "password": %s}'
    for bad in (b"NaN", b"Infinity", b"-Infinity", b"1e400"):
        r = _raw(api.http, "/v1/officers/login", login % (api.info.code.encode(), bad))
        assert r.status_code == 400 and r.json()["error"] == "non_finite", r.text
    assert _raw(api.http, "/v1/enroll", b'{"code": NaN}', SCHEMA).status_code == 400
    r = _raw(api.http, "/v1/token", b'{"device_id": Infinity, "refresh_token": "x"}', SCHEMA)
    assert r.status_code == 400
    r = _raw(api.http, "/v1/officers/password", b'{"old": NaN, "new": "whatever-1"}')
    assert r.status_code == 400
    # an enrolled laptop: a non-finite value anywhere in a push, deep in a case's data too
    for entry in (
        api.case_entry(age_years=float("nan")),
        api.case_entry(height_cm=float("inf")),
        {**api.case_entry(), "seq": float("-inf")},
    ):
        body = json.dumps({"entries": [entry]}).encode()  # (json.dumps writes NaN/Infinity)
        r = _raw(api.http, "/v1/push", body, api.auth)
        assert r.status_code == 400 and r.json()["error"] == "non_finite", r.text
        assert CHILD not in r.text
    body = json.dumps({"entries": [api.case_entry()]}).replace(
        '"age_years": 8', '"age_years": 1e999'
    )
    assert _raw(api.http, "/v1/push", body.encode(), api.auth).status_code == 400
    assert (
        _raw(api.http, "/v1/rows", b'{"entity": "cases", "ids": [NaN]}', api.auth).status_code
        == 400
    )
    assert _raw(api.http, "/v1/blobs/missing", b'{"shas": [Infinity]}', api.auth).status_code == 400
    # without a credential the push is not even read
    r = _raw(api.http, "/v1/push", b'{"entries": [{"seq": NaN}]}', SCHEMA)
    assert r.status_code == 401
    assert api.nothing_applied()
    # and a finite push goes through as before
    r = api.http.post("/v1/push", json={"entries": [api.case_entry()]}, headers=api.auth)
    assert r.status_code == 200 and r.json()["receipts"][0]["status"] == "applied", r.text


# -- item 11: 422 without the input ------------------------------------------------------------
def test_a_422_repeats_nothing_of_the_input(api):
    code = api.info.code
    sent: list[tuple[str, Any, dict[str, str], dict[str, Any] | None]] = [
        (
            "/v1/officers/login",
            {"station": code, "username": "sho", "password": SECRET + "x"},
            {},
            None,
        ),
        (
            "/v1/officers/login",
            {"station": code, "username": "sho", "password": [SECRET]},
            {},
            None,
        ),
        (
            "/v1/officers/login",
            {"station": code, "username": {"n": SECRET}, "password": "p"},
            {},
            None,
        ),
        ("/v1/enroll", {"code": SECRET}, SCHEMA, None),
        ("/v1/token", {"device_id": SECRET, "refresh_token": SECRET}, SCHEMA, None),
        ("/v1/push", {"entries": SECRET}, api.auth, None),
        ("/v1/push", {"entries": [{**api.case_entry(), SECRET: CHILD}]}, api.auth, None),
        ("/v1/push", {"entries": [{**api.case_entry(), "entity": SECRET}]}, api.auth, None),
        ("/v1/push", {"entries": [{**api.case_entry(), "seq": SECRET}]}, api.auth, None),
        ("/v1/rows", {"entity": "cases", "ids": [SECRET + CHILD]}, api.auth, None),
    ]
    answers = [api.http.post(path, json=body, headers=h) for path, body, h, _ in sent]
    answers.append(api.http.get("/v1/pull", params={"after": SECRET}, headers=api.auth))
    answers.append(
        _raw(api.http, "/v1/officers/login", b'{"station": "x", "password": "' + SECRET.encode())
    )
    for r in answers:
        assert r.status_code == 422, r.text
        text = r.text
        assert SECRET[:12] not in text and CHILD not in text and "secret0" not in text, text
        body = r.json()
        assert body["error"] == "invalid_request" and body["message"]
        for problem in body["detail"]:
            assert set(problem) == {"loc", "msg", "type"}  # no input, no ctx
    # the location still says which field is wrong
    assert answers[0].json()["detail"][0]["loc"] == ["body", "password"]
    assert answers[6].json()["detail"][0]["loc"][-1] == "?"  # an undeclared key: not repeated
    assert api.nothing_applied()


# -- item 11: size limits, before reading ------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgres"])
def small(request, tmp_path) -> Iterator[Api]:
    """The app with small push and upload limits (the same code path as the defaults)."""
    limits = Limits(push_body=256 * KB, blobs_body=256 * KB, chunk_body=128 * KB)
    a = Api(_url(request.param, request, tmp_path), tmp_path / "server", limits)
    yield a
    a.close()


def _stream(total: int, piece: int = 16 * KB) -> Iterator[bytes]:
    """A body sent without a Content-Length (chunked): only counting the bytes can stop it."""
    sent = 0
    while sent < total:
        yield b" " * min(piece, total - sent)
        sent += piece


def test_bodies_over_their_routes_limit_get_413_unread(small):
    api = small
    http = api.http
    # login: a few KB; at the limit it is read (and refused as invalid), beyond it not
    filler = {"station": api.info.code, "username": "sho", "password": "p", "x": ""}
    at = len(json.dumps(filler).encode())
    filler["x"] = "a" * (8 * KB - at)
    r = _raw(http, "/v1/officers/login", json.dumps(filler).encode())
    assert r.status_code == 401  # read, parsed, a failed login (the extra field is ignored)
    filler["x"] += "a"
    r = _raw(http, "/v1/officers/login", json.dumps(filler).encode())
    assert r.status_code == 413 and r.json()["error"] == "too_large", r.text
    assert "8 KB" in r.json()["message"]
    r = http.post("/v1/officers/login", content=_stream(100 * KB))
    assert r.status_code == 413
    assert _raw(http, "/v1/enroll", b" " * (9 * KB), SCHEMA).status_code == 413
    # a push over the server's push limit, with a valid credential, with and without length
    entries, n = [], 0
    while len(json.dumps({"entries": entries})) <= 256 * KB:
        n += 1
        entries.append(api.case_entry(n, circumstances="x" * 3000))
    body = json.dumps({"entries": entries}).encode()
    r = _raw(http, "/v1/push", body, api.auth)
    assert r.status_code == 413 and "256 KB" in r.json()["message"], r.text
    r = http.post("/v1/push", content=_stream(len(body)), headers=api.auth)
    assert r.status_code == 413
    # one entry fewer fits, and is applied
    r = http.post("/v1/push", json={"entries": entries[:1]}, headers=api.auth)
    assert r.status_code == 200, r.text
    # photos: a batch and a chunk over theirs
    sha = "ab" * 32
    r = http.put(
        f"/v1/blobs/{sha}",
        params={"offset": 0, "total": 200 * KB},
        content=b"\0" * (129 * KB),
        headers=api.auth,
    )
    assert r.status_code == 413
    r = http.post("/v1/blobs", content=_stream(300 * KB), headers=api.auth)
    assert r.status_code == 413
    # anything else: 64 KB
    r = _raw(http, "/v1/rows", b'{"entity": "cases", "ids": []' + b" " * (64 * KB) + b"}", api.auth)
    assert r.status_code == 413
    # without a known credential a large route's body is not read at all
    for headers in (SCHEMA, {**SCHEMA, "Authorization": "Bearer not-a-token"}):
        r = http.post("/v1/push", content=_stream(10 * MB), headers=headers)
        assert r.status_code == 401, r.text
        r = http.put(f"/v1/blobs/{sha}", content=_stream(1 * MB), headers=headers)
        assert r.status_code == 401
    with api.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1


def test_the_push_limit_is_a_setting(monkeypatch):
    monkeypatch.setenv("MUSKAN_SERVER_MAX_PUSH_MB", "64")
    assert Limits.from_env().push_body == 64 * MB
    assert Limits.from_env(8).push_body == 8 * MB  # serve --max-push-mb wins
    monkeypatch.delenv("MUSKAN_SERVER_MAX_PUSH_MB")
    assert Limits.from_env().push_body == 32 * MB
    from muskan_desktop.errors import MuskanError

    monkeypatch.setenv("MUSKAN_SERVER_MAX_PUSH_MB", "lots")
    with pytest.raises(MuskanError, match="MUSKAN_SERVER_MAX_PUSH_MB"):
        Limits.from_env()


# -- the real server process ---------------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgres"])
def server_db(request, tmp_path) -> str | None:
    return None if request.param == "sqlite" else _url("postgres", request, tmp_path)


def test_four_50mb_bodies_at_once_leave_the_servers_memory_flat(tmp_path, server_db):
    server = Server(tmp_path / "server", db=server_db)
    try:
        jobs: list[tuple[str, bool, str | None]] = [
            ("/v1/officers/login", False, None),  # with a Content-Length
            ("/v1/officers/login", True, None),  # chunked
            ("/v1/push", False, None),
            ("/v1/push", True, None),
        ]
        out = flood(server, jobs, 50 * MB)
        statuses = [(a["path"], a["status"], a["error"]) for a in out["answers"]]
        assert statuses == [
            ("/v1/officers/login", 413, "too_large"),
            ("/v1/officers/login", 413, "too_large"),
            ("/v1/push", 413, "too_large"),  # its length alone refuses it
            ("/v1/push", 401, "no_token"),  # no length: no credential, not read
        ], out
        grew_kb = max(out["peak_kb"], out["hwm_after_kb"]) - max(
            out["before_kb"], out["hwm_before_kb"]
        )
        assert grew_kb < 25 * 1024, out  # was 1.6 GB for one 300 MB body
        assert httpx.get(server.url + "/healthz").status_code == 200  # still serving
        # headers: uvicorn's h11 takes at most 16 KB of request line and headers
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 32 * KB)
            sock.sendall(b"\r\n\r\n")
            assert sock.recv(100).startswith(b"HTTP/1.1 400 ")
    finally:
        server.stop()


# The real server with a fault planted in the push (as a bug would be): the exception's
# message holds the entries, as database and validation errors hold their values.
FAULTY = """
import sys
from muskan_desktop.server import protocol

def broken(store, dev, entries, *a, **k):
    raise RuntimeError(f"could not apply {entries!r}")

protocol.push = broken
from muskan_desktop.server.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_servers_log_holds_no_request_values(tmp_path, server_db):
    server = Server(tmp_path / "server", db=server_db, command=[sys.executable, "-c", FAULTY])
    try:
        token = enrolled_token(server)
        auth = {"Authorization": f"Bearer {token}", **SCHEMA}
        info_code = _station_code(server)
        with httpx.Client(base_url=server.url, timeout=30) as http:
            entry = {
                "seq": 1,
                "entity": "cases",
                "row_id": new_id(),
                "op": "insert",
                "data": {"name_latin": CHILD, "guardian_phone": PHONE, "note": SECRET},
            }
            # an unhandled error: 500, and the stack logged
            r = http.post("/v1/push", json={"entries": [entry]}, headers=auth)
            assert r.status_code == 500 and r.json()["error"] == "internal", r.text
            assert CHILD not in r.text
            # NaN where it was a 500 with the request in the traceback
            login = {"station": info_code, "username": CHILD, "password": SECRET}
            for path, headers in (("/v1/officers/login", {}), ("/v1/push", auth)):
                body = json.dumps({**login, "n": float("nan"), "entries": [entry]})
                r = http.post(
                    path, content=body, headers={"Content-Type": "application/json", **headers}
                )
                assert r.status_code == 400, r.text
            # 422s, failed logins, an oversized body
            r = http.post("/v1/officers/login", json={**login, "password": [SECRET, PHONE]})
            assert r.status_code == 422 and SECRET[:12] not in r.text
            r = http.post("/v1/officers/login", json=login)
            assert r.status_code == 401
            r = http.post("/v1/officers/login", content=json.dumps(login).encode() * 300)
            assert r.status_code == 413
            r = http.post("/v1/enroll", json={"code": SECRET}, headers=SCHEMA)
            assert r.status_code == 422
    finally:
        log = server.stop()
    assert "unhandled error in POST /v1/push" in log and "RuntimeError" in log, log
    assert "Traceback" in log  # the stack is there ...
    for planted in (CHILD, PHONE, SECRET[:12], "secret0", "could not apply"):
        assert planted not in log, planted  # ... its message and the request are not


def _station_code(server: Server) -> str:
    from muskan_desktop import places

    return places.stations()[0].code
