"""The sync indicator and the conflicts list in the window, driven as an officer would."""

from __future__ import annotations

import datetime as dt
import threading

import httpx
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from muskan_desktop.models import Case
from muskan_desktop.server import schema
from muskan_desktop.sync.client import SyncClient
from muskan_desktop.sync.tables import conflicts, outbox
from ui.app import build_window
from ui.tasks import TaskRunner

from .conftest import TODAY
from .sync_helpers import AppTransport, Laptop, make_server, station_codes, use_memory_keyring

pytestmark = pytest.mark.usefixtures("modal_boxes")


class Down(httpx.BaseTransport):
    def handle_request(self, request):
        raise httpx.ConnectError("no network", request=request)


@pytest.fixture
def world(qtbot, tmp_path):
    yield from _world(qtbot, tmp_path, TaskRunner(inline=True))


@pytest.fixture
def threaded_world(qtbot, tmp_path):
    """As the app runs: rounds on the sync thread, progress and results through signals."""
    yield from _world(qtbot, tmp_path, TaskRunner())


def _world(qtbot, tmp_path, runner):
    use_memory_keyring()
    store, app = make_server(tmp_path / "server", f"sqlite:///{tmp_path / 'server.db'}")
    transport = AppTransport(app)
    info = station_codes(1)[0]
    store.add_station(info.code)
    lap = Laptop(tmp_path / "home", store, info, "SI Window", transport, TODAY)
    lap.enroll(store.enrollment_code(info.code))
    lap.close()
    other = Laptop(tmp_path / "other", store, info, "SI Other", transport, dt.date.today())
    other.enroll(store.enrollment_code(info.code))
    win = build_window(tmp_path / "home", runner=runner)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.ctx is not None and hasattr(win, "sync"), timeout=20_000)
    net = {"transport": transport}

    def client(ctx):
        http = httpx.Client(base_url="http://muskan.test", transport=net["transport"])
        return SyncClient(ctx, http=http, sleep=lambda _s: None)

    win.sync.client_factory = client
    yield win, other, store, net
    win.sync.timer.stop()
    win.ctx.db.close()
    other.close()
    store.close()


def test_indicator_shows_pending_online_and_offline(world):
    from muskan_desktop.cases import CaseService

    win, _other, _store, net = world
    from muskan_desktop.sync.client import oldest_pending

    before = oldest_pending(win.ctx.db)[0]
    CaseService(win.ctx).create(
        {"kind": "missing", "name_latin": "Ravi", "sex": "M", "age_years": 9}
    )
    win.sync.refresh()
    waiting = oldest_pending(win.ctx.db)[0]  # the case and its audit event
    assert waiting == before + 2 and f"{waiting} change(s) waiting" in win.sync.label.text()
    win.sync.act_sync.trigger()  # Sync > Sync now
    text = win.sync.label.text()
    assert text.startswith("Online") and "0 change(s) waiting" in text and "last sync" in text
    net["transport"] = Down()
    CaseService(win.ctx).create(
        {"kind": "missing", "name_latin": "Mohan", "sex": "M", "age_years": 7}
    )
    win.sync.act_sync.trigger()
    text = win.sync.label.text()
    assert text.startswith("Offline") and "2 change(s) waiting" in text and "oldest" in text
    assert win.sync.timer.isActive()  # it tries again by itself, later


def test_officer_picks_the_value_to_keep_and_both_stations_see_it(world, qtbot):
    from muskan_desktop.cases import CaseService

    win, other, store, _net = world
    case = CaseService(win.ctx).create(
        {"kind": "missing", "name_latin": "Sita", "sex": "F", "age_years": 6}
    )
    win.sync.sync_now()
    other.sync()
    CaseService(win.ctx).update(case.id, {"clothing": "red frock"})
    other.cases().update(case.id, {"clothing": "green frock"})
    win.sync.sync_now()
    other.sync()  # arrives later: its value is kept, ours goes to the review list
    win.sync.sync_now()
    win.sync.act_conflicts.trigger()
    dlg = win.sync.dialog
    assert dlg.table.rowCount() == 1
    cells = [dlg.table.item(0, c).text() for c in range(4)]
    assert cells[2:] == ["green frock", "red frock"]
    qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)  # use the other value
    assert dlg.table.rowCount() == 0 and dlg.empty.isVisibleTo(dlg)
    with win.ctx.db.read() as s:
        assert s.get(Case, case.id).clothing == "red frock"
        assert s.execute(select(outbox.c.op).where(outbox.c.entity == "sync_conflicts")).all()
    win.sync.sync_now()
    other.sync()
    with store.session() as s:
        (row,) = s.execute(select(schema.conflicts)).all()
        assert row.resolved_at is not None and row.resolved_by == win.ctx.actor
        assert s.get(Case, case.id).clothing == "red frock"
    with other.ctx.db.read() as s:
        assert s.execute(select(conflicts.c.resolved_at)).scalar_one() is not None
        assert s.get(Case, case.id).clothing == "red frock"


class Gate(httpx.BaseTransport):
    """Once `hold` is set, lets two more pushes through and holds the third until `go`."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.hold, self.held, self.go = threading.Event(), threading.Event(), threading.Event()
        self.pushes = 0

    def handle_request(self, request):
        if request.url.path == "/v1/push" and self.hold.is_set():
            self.pushes += 1
            if self.pushes == 3:
                self.held.set()
                self.go.wait(30)
        return self.inner.handle_request(request)


def test_a_round_shows_how_far_it_got_and_stop_pauses_it_keeping_the_rest(
    threaded_world, qtbot, monkeypatch
):
    from muskan_desktop.cases import CaseService
    from muskan_desktop.sync import client as client_mod
    from muskan_desktop.sync.client import oldest_pending

    monkeypatch.setattr(client_mod, "BATCH", 10)
    win, _other, store, net = threaded_world
    qtbot.waitUntil(lambda: not win.sync.running, timeout=20_000)  # (the first round)
    win.sync.timer.stop()
    gate = Gate(net["transport"])
    net["transport"] = gate
    svc = CaseService(win.ctx)
    before = oldest_pending(win.ctx.db)[0]  # (the window's own audit events)
    for i in range(30):
        svc.create({"kind": "missing", "name_latin": f"Child {i}", "sex": "F", "age_years": 5})
    waiting = oldest_pending(win.ctx.db)[0]
    assert waiting == before + 60  # the cases and their audit events: six batches or more
    gate.hold.set()  # the third batch will wait on the network
    shown = []
    win.sync.changed.connect(lambda: shown.append(win.sync.label.text()))
    win.sync.act_sync.trigger()
    assert gate.held.wait(20)
    qtbot.waitUntil(lambda: "syncing: sent" in win.sync.label.text(), timeout=10_000)
    assert win.sync.act_stop.isEnabled()
    win.sync.act_stop.trigger()  # Sync > Stop syncing
    gate.go.set()
    qtbot.waitUntil(lambda: not win.sync.running, timeout=20_000)
    text = win.sync.label.text()
    assert "paused" in text and not win.sync.act_stop.isEnabled()
    assert any(f"syncing: sent 10 of {waiting}" in t for t in shown)
    left = oldest_pending(win.ctx.db)[0]
    assert 0 < left < waiting  # what was sent is on the server; the rest waits
    with store.session() as s:
        on_server = s.scalar(
            select(func.count()).select_from(Case).where(Case.name_latin.like("Child %"))
        )
    assert on_server >= (waiting - left) // 2
    assert not win.sync.timer.isActive()  # no round starts by itself while paused
    win.sync.act_sync.trigger()  # Sync now resumes
    qtbot.waitUntil(lambda: not win.sync.running, timeout=20_000)
    assert oldest_pending(win.ctx.db)[0] == 0
    assert win.sync.label.text().startswith("Online")
