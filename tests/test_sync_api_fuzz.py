"""schemathesis against the server's OpenAPI schema, on SQLite and PostgreSQL: no request makes it fail
(5xx), nothing is accepted without a valid device token, and a station's valid token
changes nothing outside its own jurisdiction.

Every generated request is also sent a third time, made hostile (issue 15, items 11-12):
with NaN, Infinity, -Infinity or 1e400 planted in its JSON body (schemathesis generates only
finite numbers), or padded past its route's size limit (with a Content-Length or chunked).
Those must get 400 and 413, and no refusal (4xx) repeats what the request held."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from starlette.testclient import TestClient

from muskan_desktop.cases import station_row
from muskan_desktop.ids import new_id, station_id
from muskan_desktop.models import Case, TracingEntry
from muskan_desktop.server import protocol, schema
from muskan_desktop.server.app import create_app
from muskan_desktop.server.http_errors import declared_names
from muskan_desktop.server.limits import KB, BodyLimit, Limits
from muskan_desktop.server.store import ServerStore

from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import station_codes

STATE: dict[str, Any] = {}
# Small body limits (the same code as the defaults) so that oversized bodies are cheap to
# send; the per-client login limit out of the way so that the login routes stay reachable.
LIMITS = Limits(
    push_body=64 * KB,
    blobs_body=64 * KB,
    chunk_body=64 * KB,
    missing_body=64 * KB,
    max_failures=10**9,
)
HOSTILE = ("NaN", "Infinity", "-Infinity", "1e400", "oversized", "oversized-chunked")
MARKER = "Zq7-planted-marker-Parvati-9876501234"


def _api_schema(tmp_path, url):
    store = ServerStore(tmp_path / "server", url)
    a, _, c = station_codes(3)
    for info in (a, c):
        store.add_station(info.code)
    dev_a = store.enroll(store.enrollment_code(a.code), "a")
    dev_c = store.enroll(store.enrollment_code(c.code), "c")
    case_id = new_id()
    now = dt.datetime(2026, 11, 1, 10, 0)
    row = {
        "id": case_id,
        "kind": "missing",
        "status": "missing",
        "station_id": station_id(a.code),
        "district": station_row(a)["district_en"],
        "reported_on": "2026-10-01",
        "name_latin": "Guarded",
        "sex": "F",
        "age_years": 8,
        "created_at": now.isoformat(),
        "created_by": "SI A",
        "updated_at": now.isoformat(),
        "updated_by": "SI A",
        "version": 1,
    }
    device = store.authenticate(dev_a["token"])
    body = protocol.push(
        store,
        device,
        [{"seq": 1, "entity": "cases", "row_id": case_id, "op": "insert", "data": row}],
    )
    assert body["receipts"][0]["status"] == "applied"
    app = create_app(store, LIMITS)
    http = TestClient(app, raise_server_exceptions=False)
    STATE.clear()
    STATE.update(store=store, token=dev_c["token"], case_id=case_id, app=app, http=http)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _snapshot(store: ServerStore) -> tuple:
    cid = STATE["case_id"]
    with store.session() as s:
        case = s.get(Case, cid)
        return (
            case.version,
            case.clothing,
            case.status,
            s.scalar(
                select(func.count()).select_from(TracingEntry).where(TracingEntry.case_id == cid)
            ),
            s.scalar(
                select(func.count())
                .select_from(Case)
                .where(Case.station_id != station_id(station_codes(3)[2].code))
            ),
        )


# (schemathesis' pytest integration does not run under pytest 9 yet: the schema's
# operations are drawn from its hypothesis strategies directly.)
@pytest.mark.parametrize("db", ["sqlite", "postgres"])
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_api_never_fails_and_guards_auth_and_jurisdiction(request, tmp_path, mode, db):
    from schemathesis.generation.modes import GenerationMode

    url = (
        f"sqlite:///{tmp_path / 'server.db'}"
        if db == "sqlite"
        else request.getfixturevalue("pg_cluster").create_db()
    )
    api = _api_schema(tmp_path, url)
    ops = [r.ok() for r in api.get_all_operations()]
    assert {op.path for op in ops} >= {"/v1/push", "/v1/pull", "/v1/enroll"}
    strategy = st.one_of([op.as_strategy(GenerationMode(mode)) for op in ops])

    @given(case=strategy, hostile=st.sampled_from(HOSTILE), seed=st.integers(0, 2**32))
    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def check(case, hostile, seed):
        _check_case(case)
        _check_hostile(case, hostile, random.Random(seed))

    STATE["seen"] = []
    STATE["hostile_seen"] = []
    try:
        check()
    finally:
        STATE["http"].close()
    kinds = {k for k, _ in STATE["hostile_seen"]}
    assert kinds == set(HOSTILE)  # each kind was sent
    assert {c for k, c in STATE["hostile_seen"] if k.startswith("oversized")} == {413}
    seen = STATE["seen"]
    if mode == "positive":
        assert any(code < 300 for code in seen)  # the fuzzer did get through with the token
        assert any(code == 401 for code in seen)  # and was refused without it


def _check_case(case):
    store = STATE["store"]
    before = _snapshot(store)
    valid = {"Authorization": f"Bearer {STATE['token']}", "X-Muskan-Schema": "0009"}
    # as generated (random or missing credentials) ...
    r = case.call()
    assert r.status_code < 500, r.text
    _no_echo(case.body, r)
    STATE["seen"].append(r.status_code)
    path = case.operation.path
    if path.startswith("/v1/") and path not in ("/v1/enroll", "/v1/token"):
        auth = (case.headers or {}).get("Authorization", "")
        if auth != valid["Authorization"]:
            assert r.status_code in (400, 401, 403, 413, 422, 426), (path, r.status_code)
    if path in ("/v1/enroll", "/v1/token"):
        assert r.status_code >= 400  # no generated code or refresh token is valid
    # ... and again with station C's valid token: still nothing of station A's may change
    r = case.call(headers=valid)
    assert r.status_code < 500, r.text
    _no_echo(case.body, r)
    STATE["seen"].append(r.status_code)
    assert _snapshot(store) == before
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(schema.conflicts)) == 0


def _strings(value: Any, declared: frozenset[str]) -> Iterator[str]:
    """The strings of a request body (keys too, but for the field names the API declares:
    those a 422 names)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in declared:
                yield k
            yield from _strings(v, declared)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, declared)


# Hypothesis also draws strings from the constants of the code under test ("invalid_request"),
# which a refusal may well contain: the echo check takes the generated strings that are not
# plain words (the planted MARKER covers plain words in _check_hostile).
_PROSE = re.compile(r"[A-Za-z0-9 _.,:;'()/-]*")


def _no_echo(body: Any, r: Any) -> None:
    """A refusal says what is wrong, never what was sent (the longer strings: a short one
    may be a word of the message by chance)."""
    if not 400 <= r.status_code < 500:
        return
    if "declared" not in STATE:
        STATE["declared"] = declared_names(STATE["app"])
    for text in _strings(body, STATE["declared"]):
        if len(text) >= 12 and not text.isspace() and not _PROSE.fullmatch(text):
            for form in (text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]):
                assert form not in r.text, (r.status_code, r.text[:300])


_SENTINEL = "__muskan_fuzz_number__"


def _plant(value: Any, rng: random.Random) -> Any:
    """`value` with the sentinel put in at a random place (a new key or item, or instead of
    a leaf), somewhere down its dicts and lists."""
    if isinstance(value, dict) and value and rng.random() < 0.7:
        key = rng.choice(list(value))
        return {**value, key: _plant(value[key], rng)}
    if isinstance(value, dict):
        return {**value, rng.choice(["seq", "data", "password", "n"]): _SENTINEL}
    if isinstance(value, list) and value and rng.random() < 0.7:
        i = rng.randrange(len(value))
        return [*value[:i], _plant(value[i], rng), *value[i + 1 :]]
    if isinstance(value, list):
        return [*value, _SENTINEL]
    return _SENTINEL


def _check_hostile(case: Any, kind: str, rng: random.Random) -> None:
    """The case once more, with station C's valid token, its body made hostile."""
    kw = case.as_transport_kwargs(
        headers={"Authorization": f"Bearer {STATE['token']}", "X-Muskan-Schema": "0009"}
    )
    body = kw.get("json")
    if not isinstance(body, (dict, list)):
        body = {}
    body = {"marker": MARKER, "body": body} if isinstance(body, list) else {**body, "m": MARKER}
    headers = {k: v for k, v in kw["headers"].items() if k.lower() != "content-length"}
    headers["Content-Type"] = "application/json"
    method, url = kw["method"], kw["url"]
    content: bytes | Iterator[bytes]
    limit, _ = BodyLimit(None, None, LIMITS).limit_for(method, url)  # type: ignore[arg-type]
    if kind.startswith("oversized"):
        text = json.dumps(body)
        raw = (text[:-1] + ', "pad": "' + "x" * (limit + 1 - len(text)) + '"}').encode()
        content = (
            raw
            if kind == "oversized"
            else iter([raw[i : i + 8192] for i in range(0, len(raw), 8192)])
        )
    else:
        content = json.dumps(_plant(body, rng)).replace(f'"{_SENTINEL}"', kind).encode()
    r = STATE["http"].request(
        method, url, params=kw.get("params"), headers=headers, content=content
    )
    assert r.status_code < 500, (kind, method, url, r.text[:300])
    assert MARKER not in r.text and "Parvati" not in r.text, (kind, url, r.text[:300])
    STATE["hostile_seen"].append((kind, r.status_code))
    if kind.startswith("oversized") or (isinstance(content, bytes) and len(content) > limit):
        assert r.status_code == 413, (kind, method, url, r.text[:300])
    elif method in ("POST", "PUT") and case.media_type == "application/json":
        assert r.status_code == 400 and r.json()["error"] == "non_finite", (url, r.text[:300])
