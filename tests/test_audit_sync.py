"""Who made each queued change, audit events on their way to the server, and the anchored
end of the local audit trail."""

from __future__ import annotations

from sqlalchemy import select

from muskan_desktop.accounts import AccountService
from muskan_desktop.cases import CaseService
from muskan_desktop.models import Meta
from muskan_desktop.sync.outbox import DEVICE_KEY
from muskan_desktop.sync.tables import outbox

from .test_security_accounts import SHO_PW, with_accounts


def enrolled(ctx):
    """The outbox runs only on an enrolled register: a device id is enough for it."""
    with ctx.db.write() as s:
        s.merge(Meta(key=DEVICE_KEY, value="dev-test"))


def entries(ctx, entity=None):
    with ctx.db.read() as s:
        q = select(outbox).order_by(outbox.c.seq)
        if entity:
            q = q.where(outbox.c.entity == entity)
        return s.execute(q).mappings().all()


def test_outbox_entries_carry_the_logged_in_officer_and_role(ctx):
    with_accounts(ctx)
    enrolled(ctx)
    acc = AccountService(ctx)
    acc.login("op", "operator-pw-1")
    case = CaseService(ctx).create(
        {"kind": "missing", "name_latin": "Sunita", "sex": "F", "age_years": "9"}
    )
    acc.login("sho", SHO_PW)
    CaseService(ctx).update(case.id, {"clothing": "red frock"})
    got = [(e["entity"], e["op"], e["actor"], e["role"]) for e in entries(ctx)]
    assert ("cases", "insert", "op", "operator") in got
    assert ("cases", "update", "sho", "sho") in got
    # every entry says who and with what role (none left blank)
    assert all(e["actor"] and e["role"] for e in entries(ctx))


def test_bulk_import_entries_carry_the_role(ctx, tmp_path):
    from muskan_desktop.transfer import import_csv

    with_accounts(ctx)
    enrolled(ctx)
    AccountService(ctx).login("op", "operator-pw-1")
    path = tmp_path / "c.csv"
    path.write_text("kind,name_latin,sex,age_years\nmissing,Asha,F,9\nmissing,Ravi,M,7\n")
    assert import_csv(ctx, path).rejected == 0
    cases = entries(ctx, "cases")
    assert len(cases) == 2
    assert all(e["role"] == "operator" and e["actor"] == "op" for e in cases)
