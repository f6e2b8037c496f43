"""Issue 15, items 2 and 3: a revoked laptop has no access to the server (whatever its token
says, hand-written requests with its real credential included), may hand in its queue once
when the administrator allows it, and then wipes itself completely (the real `muskan sync`
and `muskan-server` processes). Server tests run on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from muskan_desktop.models import Case, Meta, Photo, TracingEntry
from muskan_desktop.photos import PhotoService
from muskan_desktop.server import schema
from muskan_desktop.sync import credentials
from muskan_desktop.sync.client import OFFSET_KEY, Wiped
from muskan_desktop.sync.tables import outbox

from .conftest import shared_dir
from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import ServerProcess, process_env, station_codes
from .sync_world import World, world_fixture  # noqa: F401  (SQLite and PostgreSQL)

FACES = shared_dir() / "data" / "faces"
PHONE = "9876501234"
SCHEMA = {"X-Muskan-Schema": "0010"}


def missing(lap, name, **kw):
    return lap.cases().create(
        {"kind": "missing", "name_latin": name, "sex": "M", "age_years": 9, **kw}
    )


def credential(lap) -> credentials.Credential:
    cred = credentials.load(lap.client().device, lap.ctx.db)
    assert cred is not None
    return cred


def queued(lap) -> list[dict[str, Any]]:
    """The laptop's pending outbox entries as a push request carries them (written out here,
    not by the sync client)."""
    with lap.ctx.db.read() as s:
        offset = int(s.scalar(select(Meta.value).where(Meta.key == OFFSET_KEY)) or 0)
        q = select(outbox).where(outbox.c.state == "pending").order_by(outbox.c.seq)
        return [
            {
                "seq": int(e.seq) - offset,
                "entity": e.entity,
                "row_id": e.row_id,
                "op": e.op,
                "data": e.data,
                "base": e.base,
                "actor": e.actor,
                "role": e.role,
                "created_at": e.created_at.isoformat() if e.created_at else None,
            }
            for e in s.execute(q)
        ]


def api(world) -> httpx.Client:
    """Straight to the real app: no sync client, no renewal, no retries."""
    return httpx.Client(base_url="http://muskan.test", transport=world.base, timeout=30)


def server_cases(world) -> dict[str, Any]:
    with world.store.session() as s:
        return {c.id: (c.name_latin, c.clothing) for c in s.scalars(select(Case))}


def laptop_cases(lap) -> dict[str, Any]:
    with lap.ctx.db.read() as s:
        return {c.id: (c.name_latin, c.clothing) for c in s.scalars(select(Case))}


def device_row(world, device_id):
    with world.store.session() as s:
        return s.execute(select(schema.devices).where(schema.devices.c.id == device_id)).one()


def states(world) -> dict[str, str]:
    return {d["id"]: d["state"] for d in world.store.list_devices()}


def device_events(world, device_id) -> list[str]:
    with world.store.session() as s:
        q = select(schema.officer_events).order_by(schema.officer_events.c.at)
        return [e.action for e in s.execute(q) if e.details.get("device_id") == device_id]


def every_route(http: httpx.Client, cred, entries, photo: bytes, known_sha: str) -> dict:
    """Each device route once, with the device's real token: {route: (status, error)}."""
    auth = SCHEMA | {"Authorization": f"Bearer {cred.token}"}
    sha = hashlib.sha256(photo).hexdigest()
    b64 = base64.b64encode(photo).decode()
    calls = {
        "push": ("POST", "/v1/push", {"json": {"entries": entries}}),
        "blob upload (many)": ("POST", "/v1/blobs", {"json": {"blobs": [{"sha256": sha, "data": b64}]}}),
        "blob upload (chunk)": ("PUT", f"/v1/blobs/{sha}", {"params": {"offset": 0, "total": len(photo)}, "content": photo}),
        "upload status": ("GET", f"/v1/blobs/{sha}/upload", {}),
        "blobs missing": ("POST", "/v1/blobs/missing", {"json": {"shas": [sha]}}),
        "status": ("GET", "/v1/status", {}),
        "pull": ("GET", "/v1/pull", {"params": {"after": 0}}),
        "rows": ("POST", "/v1/rows", {"json": {"entity": "cases", "ids": [e["row_id"] for e in entries][:5]}}),
        "photo download": ("GET", f"/v1/blobs/{known_sha}", {}),
        "officer roster": ("GET", "/v1/officers/station", {}),
    }  # fmt: skip
    out = {}
    for name, (method, path, kw) in calls.items():
        r = http.request(method, path, headers=auth, **kw)
        out[name] = (r.status_code, r.json().get("error") if r.content else None)
    r = http.post(
        "/v1/token",
        headers=SCHEMA,
        json={"device_id": cred.device_id, "refresh_token": cred.refresh_token},
    )
    out["refresh"] = (r.status_code, r.json().get("error"))
    return out


# -- item 2: revocation means no access ---------------------------------------------------------
@pytest.mark.parametrize(
    ("age", "handin"),
    [(dt.timedelta(days=400), False), (dt.timedelta(days=400), True), (dt.timedelta(0), False)],
    ids=["token-expired-400-days", "expired-400-days-handin-allowed", "token-still-valid"],
)
def test_revoked_device_gets_nothing_on_any_route(world, age, handin):
    a_info, b_info = station_codes(2)  # one district: b sees a's cases in full
    a = world.laptop("a", a_info)
    b = world.laptop("b", b_info)
    old = missing(a, "Ravi Kumar", guardian_phone=PHONE)
    photo_row = PhotoService(a.ctx).add(old.id, FACES / "obama.jpg")
    a.sync()
    b.sync()
    seen_by_b = laptop_cases(b)
    before = server_cases(world)
    # offline after that: a new case (an add), an edit of the old one and a tracing entry
    new = missing(a, "Sunita Devi")
    a.cases().update(old.id, {"clothing": "planted red shirt"})
    a.cases().add_tracing_entry(old.id, "planted tracing entry")
    entries = queued(a)
    assert {e["entity"] for e in entries} >= {"cases", "tracing_entries"}
    assert {e["op"] for e in entries if e["entity"] == "cases"} >= {"insert", "update"}
    cred = credential(a)
    world.store.revoke(cred.device_id, allow_handin=handin)
    world.now += age
    dev = device_row(world, cred.device_id)
    assert (dev.token_expires_at < world.now) == (age > dt.timedelta(0))

    photo = (FACES / "biden.jpg").read_bytes()
    got = every_route(api(world), cred, entries, photo, photo_row.sha256)

    assert all(status in (401, 403) for status, _ in got.values()), got
    assert got["refresh"] == (403, "device_revoked")  # told to wipe, given no token
    # nothing was written or handed out
    assert server_cases(world) == before
    assert new.id not in server_cases(world)
    with world.store.session() as s:
        sha = hashlib.sha256(photo).hexdigest()
        assert s.scalar(select(schema.blobs.c.sha256).where(schema.blobs.c.sha256 == sha)) is None
        assert s.scalar(select(func.count()).select_from(TracingEntry)) == 0
    assert device_row(world, cred.device_id).last_seq == dev.last_seq
    assert device_row(world, cred.device_id).handin_started_at is None  # 400 days: no hand-in
    # other laptops receive nothing from it: a laptop enrolled now reads the whole feed
    c = world.laptop("c", b_info)
    c.sync()
    assert laptop_cases(c) == seen_by_b
    assert seen_by_b[old.id] == ("Ravi Kumar", None)


def test_handin_delivers_the_queue_once_then_the_laptop_wipes(world):
    a_info, b_info = station_codes(2)
    a = world.laptop("a", a_info)
    b = world.laptop("b", b_info)
    old = missing(a, "Ravi Kumar", guardian_phone=PHONE)
    a.sync()
    # queued while offline: a new case with a photo and a tracing entry, an edit
    new = missing(a, "Sunita Devi")
    photo = PhotoService(a.ctx).add(new.id, FACES / "obama.jpg")
    a.cases().add_tracing_entry(new.id, "asked at the bus stand")
    a.cases().update(old.id, {"clothing": "yellow kurta"})
    pending = a.client().pending()
    assert pending >= 4
    dev_id = a.client().device
    world.store.revoke(dev_id, allow_handin=True)
    assert states(world)[dev_id] == "revoked, hand-in pending"
    world.now += dt.timedelta(hours=2)  # its token expired: one renewal is allowed

    client = a.client()
    with pytest.raises(Wiped, match="revoked") as err:
        client.sync_once()
    assert "had not reached the server" not in err.value.message  # all of it was handed in
    # the hand-in: applied with the normal receipts, and the other laptop receives it
    got = server_cases(world)
    assert got[new.id] == ("Sunita Devi", None) and got[old.id] == ("Ravi Kumar", "yellow kurta")
    with world.store.session() as s:
        assert s.scalar(select(func.count()).select_from(TracingEntry)) == 1
        assert s.scalar(select(Photo.sha256).where(Photo.case_id == new.id)) == photo.sha256
        assert s.scalar(select(func.count()).where(schema.receipts.c.device_id == dev_id)) >= 4
    b.sync()
    assert laptop_cases(b)[new.id] == ("Sunita Devi", None)
    # then the laptop wiped, and the server recorded each step
    assert laptop_cases(a) == {}
    assert not (a.home / "photos").exists()
    assert states(world)[dev_id] == "revoked, handed in, wiped"
    assert device_events(world, dev_id) == [
        "device_revoked",
        "device_handin_started",
        "device_wiped",
    ]
    # a second push with the hand-in's own (still unexpired) token is refused, and so is a
    # renewal
    token = client._cred.token  # (renewed during the hand-in; the laptop has forgotten it)
    assert device_row(world, dev_id).token_expires_at > world.now
    http = api(world)
    again = {"entries": [{"seq": 1000, "entity": "cases", "row_id": new.id, "op": "update",
                          "data": {"clothing": "after the hand-in"}, "base": {}}]}  # fmt: skip
    r = http.post("/v1/push", headers=SCHEMA | {"Authorization": f"Bearer {token}"}, json=again)
    assert (r.status_code, r.json()["error"]) == (403, "device_revoked")
    r = http.post(
        "/v1/token",
        headers=SCHEMA,
        json={"device_id": dev_id, "refresh_token": client._cred.refresh_token},
    )
    assert (r.status_code, r.json()["error"]) == (403, "device_revoked")
    assert server_cases(world)[new.id] == ("Sunita Devi", None)


def test_handin_lasts_one_token_and_is_not_renewed(world):
    """A hand-in the laptop never finishes (no wipe reported) ends with the token it began
    with: no second renewal, no later push. What it hands in meets the usual checks."""
    a_info, _, far_info = station_codes(3)  # the third in another district
    a = world.laptop("a", a_info)
    far = world.laptop("far", far_info)
    elsewhere = missing(far, "Far Away")
    far.sync()
    missing(a, "Ravi Kumar")
    a.sync()
    missing(a, "Sunita Devi")
    cred = credential(a)
    world.store.revoke(cred.device_id, allow_handin=True)
    http = api(world)
    auth = SCHEMA | {"Authorization": f"Bearer {cred.token}"}
    r = http.post("/v1/push", headers=auth, json={"entries": queued(a)})
    assert r.status_code == 200 and r.json()["revoked"] is True
    assert [x["status"] for x in r.json()["receipts"]] == ["applied"] * len(queued(a))
    # the same checks as any push: no edit of another district's case
    foreign = {"seq": r.json()["last_seq"] + 1, "entity": "cases", "row_id": elsewhere.id,
               "op": "update", "data": {"clothing": "planted"}, "base": {"clothing": 0}}  # fmt: skip
    r = http.post("/v1/push", headers=auth, json={"entries": [foreign]})
    assert [x["status"] for x in r.json()["receipts"]] == ["rejected"]
    assert server_cases(world)[elsewhere.id] == ("Far Away", None)
    refresh = {"device_id": cred.device_id, "refresh_token": cred.refresh_token}
    assert http.post("/v1/token", headers=SCHEMA, json=refresh).status_code == 403
    for path in ("/v1/pull", "/v1/status", "/v1/officers/station"):
        assert http.get(path, headers=auth).json()["error"] == "device_revoked"
    world.now += dt.timedelta(hours=2)
    r = http.post("/v1/push", headers=auth, json={"entries": queued(a)})
    assert (r.status_code, r.json()["error"]) == (401, "token_expired")
    assert http.post("/v1/token", headers=SCHEMA, json=refresh).status_code == 403
    assert states(world)[cred.device_id] == "revoked, handed in"


@pytest.mark.parametrize("db", ["sqlite", "postgres"])
def test_an_old_server_database_gets_the_new_device_columns(tmp_path, request, db):
    """A server database from before the hand-in columns, with a laptop enrolled, is
    upgraded when the server starts: the laptop keeps working and can be revoked."""
    from muskan_desktop.server.store import ServerStore

    url = (
        f"sqlite:///{tmp_path / 'server.db'}"
        if db == "sqlite"
        else request.getfixturevalue("pg_cluster").create_db()
    )
    info = station_codes(1)[0]
    store = ServerStore(tmp_path, url)
    store.add_station(info.code)
    enrolled = store.enroll(store.enrollment_code(info.code), "old")
    with store.engine.begin() as conn:
        for col in ("handin_allowed", "handin_started_at", "handed_in_at", "wiped_at"):
            conn.exec_driver_sql(f"ALTER TABLE server_devices DROP COLUMN {col}")
    store.close()
    store = ServerStore(tmp_path, url)
    try:
        dev = store.authenticate(enrolled["token"])
        assert (dev.id, dev.revoked) == (enrolled["device_id"], False)
        assert store.list_devices()[0]["state"] == "active"
        store.revoke(dev.id, allow_handin=True)
        assert store.list_devices()[0]["state"] == "revoked, hand-in pending"
    finally:
        store.close()


# -- item 3: a revoked laptop wipes, through the real processes ---------------------------------
ROOT = Path(__file__).resolve().parents[1]


def _env(tmp: Path) -> dict[str, str]:
    return process_env(tmp, "revocation-test-passphrase")


def run(env, module, *args, check=True):
    cmd = [sys.executable, "-m", module, *args]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if check and r.returncode != 0:
        raise AssertionError(f"{args}: {r.returncode} {r.stderr[-2000:]}")
    return r


def muskan(env, home, *args, check=True):
    return run(env, "muskan_desktop.cli", "--home", str(home), *args, check=check)


def server_cmd(env, home, url, *args, check=True):
    return run(
        env, "muskan_desktop.server.cli", "--home", str(home), "--db", url, *args, check=check
    )


def _with_env(env: dict[str, str]):
    """Run in this process with the subprocesses' keyring and passphrase."""
    import contextlib

    import keyring

    from .keyring_file import FileKeyring

    @contextlib.contextmanager
    def cm():
        keys = ("MUSKAN_TEST_KEYRING", "MUSKAN_PASSPHRASE")
        old = {k: os.environ.get(k) for k in keys}
        prev = keyring.get_keyring()
        for k in keys:
            os.environ[k] = env[k]
        keyring.set_keyring(FileKeyring())
        try:
            yield
        finally:
            keyring.set_keyring(prev)
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    return cm()


def _set_station(home: Path, env: dict[str, str], info) -> None:
    from muskan_desktop import keystore
    from muskan_desktop.cases import CaseService
    from muskan_desktop.context import open_context

    with _with_env(env):
        ctx = open_context(home, actor="SI Process")
        try:
            with ctx.db.write() as s:
                CaseService(ctx).set_own_station(s, info)
        finally:
            ctx.db.close()
            keystore.forget(home)


def _fill_offline(home: Path, env: dict[str, str]) -> dict[str, str]:
    """Cases, a photo and tracing entries written on the laptop (all queued for the server)."""
    from muskan_desktop import keystore
    from muskan_desktop.cases import CaseService
    from muskan_desktop.context import open_context

    with _with_env(env):
        ctx = open_context(home, actor="SI Process")
        try:
            svc = CaseService(ctx)
            a = svc.create({"kind": "missing", "name_latin": "Zoravar Quennell", "sex": "M",
                            "age_years": 9, "guardian_phone": PHONE})  # fmt: skip
            b = svc.create({"kind": "missing", "name_latin": "Ishwari Vantrell", "sex": "F",
                            "age_years": 7, "guardian_name": "Harbinder Quennell"})  # fmt: skip
            svc.add_tracing_entry(a.id, "asked at the Xylophone bus stand")
            svc.add_tracing_entry(b.id, "visited the Yarrowfield railway station")
            photo = PhotoService(ctx).add(a.id, FACES / "obama.jpg")
            register_id = keystore.load_keys(home).register_id
        finally:
            ctx.db.close()
            keystore.forget(home)
    return {"photo": photo.sha256, "register": register_id}


SECRETS = [PHONE, "Zoravar", "Quennell", "Ishwari", "Vantrell", "Xylophone", "Yarrowfield"]


def _readable_secrets(folder: Path) -> list[str]:
    found = []
    for p in folder.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            for word in SECRETS:
                for enc in ("utf-8", "utf-16-le"):
                    if word.encode(enc) in data:
                        found.append(f"{p.relative_to(folder)}: {word}")
    return found


@pytest.mark.parametrize("db", ["sqlite", "postgres"])
def test_revoked_laptop_wipes_completely_through_muskan_sync(tmp_path, request, db):
    env = _env(tmp_path)
    shome = tmp_path / "server"
    url = (
        f"sqlite:///{shome / 'server.db'}"
        if db == "sqlite"
        else request.getfixturevalue("pg_cluster").create_db()
    )
    info = station_codes(1)[0]
    server_cmd(env, shome, url, "station", "add", "--code", info.code)
    lap = tmp_path / "laptop"
    _set_station(lap, env, info)
    srv = ServerProcess(shome, url, env)
    try:
        code = server_cmd(env, shome, url, "device", "enroll", "--station", info.code).stdout
        muskan(env, lap, "enroll", "--server", srv.url, "--code", code.strip())
        held = _fill_offline(lap, env)
        status = json.loads(muskan(env, lap, "sync", "--status").stdout)
        assert status["pending"] >= 5
        assert _readable_secrets(lap) == []  # (encrypted at rest: nothing to grep even now)
        with _with_env(env):
            from muskan_desktop.photos import PhotoStore

            store = PhotoStore(lap)
            assert store.path(held["photo"]) is not None
        (dev,) = json.loads(server_cmd(env, shome, url, "device", "list").stdout)
        server_cmd(env, shome, url, "device", "revoke", dev["id"])

        r = muskan(env, lap, "sync", check=False)

        assert r.returncode == 11, r.stderr
        assert "Traceback" not in r.stderr and "append-only" not in r.stderr
        assert "revoked" in r.stderr and "removed" in r.stderr
        assert f"{status['pending']} change(s) made here had not reached the server" in r.stderr
        # nothing of the register is left: no photo or thumbnail, no backup, old keys gone
        for folder in ("photos", "thumbs", "backups", "index"):
            assert not (lap / folder).exists() or not any((lap / folder).rglob("*"))
        assert _readable_secrets(lap) == []
        with _with_env(env):
            from muskan_desktop import keystore
            from muskan_desktop.context import open_context

            assert keystore.load_keys(lap).register_id != held["register"]
            import keyring

            old_entry = keyring.get_password(keystore.SERVICE, f"register-{held['register']}")
            assert old_entry is None  # the old register's key is destroyed
            ctx = open_context(lap, create=False, actor="SI Process")
            try:
                with ctx.db.read() as s:
                    assert s.scalar(select(func.count()).select_from(Case)) == 0
                    assert s.scalar(select(func.count()).select_from(TracingEntry)) == 0
                    assert s.scalar(select(func.count()).select_from(outbox)) == 0
            finally:
                ctx.db.close()
                keystore.forget(lap)
        # the server recorded it and has none of the unsent work
        (dev,) = json.loads(server_cmd(env, shome, url, "device", "list").stdout)
        assert dev["state"] == "revoked, wiped" and dev["last_seq"] == 0
        log = server_cmd(env, shome, url, "officer", "log").stdout
        assert "device_revoked" in log and "device_wiped" in log
        again = muskan(env, lap, "sync", check=False)
        assert again.returncode == 13 and "Traceback" not in again.stderr  # not enrolled
    finally:
        srv.stop()


@pytest.mark.usefixtures("modal_boxes")
def test_window_shows_the_wipe_and_an_empty_register(qtbot, tmp_path, modal_boxes):
    """The window's sync indicator says what happened; the register on screen is the new,
    empty one (no crash dialog from the old one's files being gone)."""
    import keyring

    from muskan_desktop.cases import CaseService
    from ui.tasks import TaskRunner

    from .test_sync_ui import _world

    prev = keyring.get_keyring()
    fixture = _world(qtbot, tmp_path, TaskRunner(inline=True))
    win, _other, store, _net = next(fixture)
    try:
        case = CaseService(win.ctx).create(
            {"kind": "missing", "name_latin": "Ravi Kumar", "sex": "M", "age_years": 9}
        )
        CaseService(win.ctx).add_tracing_entry(case.id, "asked at the bus stand")
        win.sync.act_sync.trigger()
        assert win.sync.label.text().startswith("Online")
        win.run_search()
        assert win.model.rowCount() == 1
        store.revoke(win.sync.client_factory(win.ctx).device)
        win.sync.act_sync.trigger()  # Sync > Sync now
        assert win.sync.label.text() == "Access revoked: the case data was removed"
        assert "revoked" in win.sync.label.toolTip() and "removed" in win.sync.label.toolTip()
        assert win.model.rowCount() == 0
        with win.ctx.db.read() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == 0
        assert modal_boxes == []
    finally:
        with contextlib.suppress(StopIteration):
            next(fixture)
        keyring.set_keyring(prev)  # (later tests' subprocesses share the suite's keyring)
