"""Server, enrollment, push and pull on SQLite and real PostgreSQL: the everyday path."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from muskan_desktop.models import Case
from muskan_desktop.sync.tables import conflicts, outbox

from .conftest import TODAY
from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import AppTransport, Laptop, make_server, station_codes, use_memory_keyring
from .sync_world import server_db_fixture  # noqa: F401


@pytest.fixture
def world(tmp_path, server_db):
    use_memory_keyring()
    store, app = make_server(tmp_path / "server", server_db)
    transport = AppTransport(app)
    a_info, b_info = station_codes(2)
    for info in (a_info, b_info):
        store.add_station(info.code)
    a = Laptop(tmp_path / "a", store, a_info, "SI Asha", transport, TODAY)
    b = Laptop(tmp_path / "b", store, b_info, "SI Bina", transport, TODAY)
    a.enroll(store.enrollment_code(a_info.code))
    b.enroll(store.enrollment_code(b_info.code))
    yield store, a, b
    a.close()
    b.close()
    store.close()


def test_a_case_made_on_one_laptop_reaches_the_other_and_edits_merge(world):
    store, a, b = world
    case = a.cases().create(
        {"kind": "missing", "name_latin": "Ravi Kumar", "sex": "M", "age_years": 9}
    )
    with a.ctx.db.read() as s:
        q = select(outbox.c.entity, outbox.c.state).where(outbox.c.entity != "audit_events")
        assert s.execute(q).all()[-1] == ("cases", "pending")
    res = a.sync()
    assert res.applied >= 1 and res.rejected == 0
    b.sync()
    with b.ctx.db.read() as s:
        got = s.get(Case, case.id)
        assert got.name_latin == "Ravi Kumar"  # same district: the full record
    # two offline edits of different fields by the owning station's two syncs
    a.cases().update(case.id, {"clothing": "blue shirt"})
    a.sync()
    b.sync()
    with b.ctx.db.read() as s:
        assert s.get(Case, case.id).clothing == "blue shirt"


def test_same_field_edited_twice_keeps_the_loser_in_conflicts_on_both(world, tmp_path):
    store, a, b = world
    case = a.cases().create({"kind": "missing", "name_latin": "Sita", "sex": "F", "age_years": 7})
    a.sync()
    # a second laptop of station A edits the same field offline
    from .sync_helpers import Laptop as L

    a2 = L(tmp_path / "a2", store, a.info, "HC Mohan", a.transport, TODAY)
    a2.enroll(store.enrollment_code(a.info.code))
    a2.sync()
    a.cases().update(case.id, {"clothing": "red frock"})
    a2.cases().update(case.id, {"clothing": "green frock"})
    a.sync()
    res = a2.sync()
    assert res.conflicts == 1
    a.sync()
    b.sync()
    for lap in (a, a2, b):
        with lap.ctx.db.read() as s:
            assert s.get(Case, case.id).clothing == "green frock"
            row = s.execute(select(conflicts)).one()
            assert (row.field, row.kept, row.lost) == ("clothing", "green frock", "red frock")
    a2.close()


def test_a_queue_larger_than_the_servers_push_limit_drains_in_several_pushes(
    tmp_path, server_db, monkeypatch
):
    """The server refuses a push body over its limit unread (413); the laptop cuts its
    batches by size, so a big queue drains instead of being refused again at every round."""
    from muskan_desktop.server.app import create_app
    from muskan_desktop.server.limits import Limits
    from muskan_desktop.server.store import ServerStore
    from muskan_desktop.sync import client as client_mod
    from muskan_desktop.sync.client import SyncError

    use_memory_keyring()
    store = ServerStore(tmp_path / "server", server_db)
    pushes: list[int] = []

    class Counting(AppTransport):
        def handle_request(self, request):
            if request.url.path == "/v1/push":
                pushes.append(len(request.read()))
            return super().handle_request(request)

    (info,) = station_codes(1)
    store.add_station(info.code)
    lap = Laptop(tmp_path / "a", store, info, "SI Asha",
                 Counting(create_app(store, Limits(push_body=256 * 1024))), TODAY)  # fmt: skip
    lap.enroll(store.enrollment_code(info.code))
    story = "Last seen near the bus stand with an older boy; " * 60  # ~3,000 characters
    ids = [
        lap.cases()
        .create(
            {
                "kind": "missing",
                "name_latin": f"Child {i}",
                "sex": "F",
                "age_years": 9,
                "circumstances": story,
            }  # fmt: skip
        )
        .id
        for i in range(120)
    ]
    # the control: one batch of the whole queue is over the server's limit, and refused
    monkeypatch.setattr(client_mod, "PUSH_BYTES", 10**9)
    with pytest.raises(SyncError, match="larger than the server takes"):
        lap.sync()
    assert pushes and pushes[-1] > 256 * 1024
    pushes.clear()

    monkeypatch.setattr(client_mod, "PUSH_BYTES", 128 * 1024)
    res = lap.sync()
    assert res.rejected == 0
    assert len(pushes) >= 3 and max(pushes) <= 128 * 1024 + 8 * 1024  # (+ the photo flags)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Case).where(Case.id.in_(ids))) == 120
    with lap.ctx.db.read() as s:
        assert (
            s.scalar(select(func.count()).select_from(outbox).where(outbox.c.state == "pending"))
            == 0
        )
    lap.close()
    store.close()
