"""Officer accounts, roles and the audit trail: in the core and through the real command line."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from muskan_desktop import audit
from muskan_desktop.accounts import MAX_FAILURES, AccountService, LoginError
from muskan_desktop.audit_trail import AuditTrail
from muskan_desktop.cases import CaseService
from muskan_desktop.context import open_context
from muskan_desktop.errors import ValidationError
from muskan_desktop.models import AuditEvent
from muskan_desktop.roles import PermissionDenied
from muskan_desktop.transfer import export_cases

from .conftest import fixed

SHO_PW = "sho-password-1"


def with_accounts(ctx):
    """The station's SHO, an operator and a viewer; ctx stays logged in as the SHO."""
    acc = AccountService(ctx)
    acc.add("sho", "sho", SHO_PW, "SHO Ambikapur")
    acc.add("op", "operator", "operator-pw-1")
    acc.add("viewer", "viewer", "viewer-pw-1")
    return acc


def as_officer(home: Path, name: str, password: str):
    return fixed(open_context(home, actor=name, password=password))


def a_case(ctx) -> str:
    return (
        CaseService(ctx)
        .create({"kind": "missing", "name_latin": "Sunita", "sex": "F", "age_years": "9"})
        .id
    )


def test_first_account_must_be_the_sho(ctx):
    with pytest.raises(ValidationError) as e:
        AccountService(ctx).add("op", "operator", "operator-pw-1")
    assert e.value.for_field("role")
    AccountService(ctx).add("sho", "sho", SHO_PW)
    assert ctx.actor == "sho" and ctx.role == "sho"  # set-up mode is over


def test_wrong_passwords_lock_the_account(ctx, home):
    with_accounts(ctx)
    acc = AccountService(ctx)
    for i in range(MAX_FAILURES - 1):
        with pytest.raises(LoginError, match="Wrong officer name or password"):
            acc.login("op", f"guess-{i}")
    with pytest.raises(LoginError, match="locked"):
        acc.login("op", "guess-last")
    # locked: even the right password is refused now
    with pytest.raises(LoginError, match="locked"):
        acc.login("op", "operator-pw-1")
    # after the lock time it opens again; the SHO can unlock earlier
    acc.login("sho", SHO_PW)
    acc.unlock("op")
    assert acc.login("op", "operator-pw-1").role == "operator"
    with ctx.db.read() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions.count("login_failed") == MAX_FAILURES - 1
    assert "account_locked" in actions and "officer_unlock" in actions


def test_lock_expires(ctx):
    with_accounts(ctx)
    acc = AccountService(ctx)
    for i in range(MAX_FAILURES):
        with pytest.raises(LoginError):
            acc.login("viewer", f"guess-{i}")
    later = ctx.clock() + dt.timedelta(minutes=16)
    ctx.clock = lambda: later
    assert acc.login("viewer", "viewer-pw-1").role == "viewer"


def test_password_change_needs_the_old_password(ctx, home):
    with_accounts(ctx)
    op = as_officer(home, "op", "operator-pw-1")
    acc = AccountService(op)
    with pytest.raises(LoginError):
        acc.change_password("op", "not-it", "new-operator-pw")
    with pytest.raises(ValidationError):
        acc.change_password("op", "operator-pw-1", "short")
    acc.change_password("op", "operator-pw-1", "new-operator-pw")
    op.db.close()
    with pytest.raises(LoginError):
        as_officer(home, "op", "operator-pw-1")
    as_officer(home, "op", "new-operator-pw").db.close()
    # an operator may not reset someone else's password
    op2 = as_officer(home, "op", "new-operator-pw")
    with pytest.raises(PermissionDenied):
        AccountService(op2).change_password("viewer", None, "viewer-pw-2")
    op2.db.close()


def test_viewer_cannot_edit_or_export_operator_cannot_delete_or_export(ctx, home, tmp_path):
    with_accounts(ctx)
    case_id = a_case(ctx)
    viewer = as_officer(home, "viewer", "viewer-pw-1")
    op = as_officer(home, "op", "operator-pw-1")
    try:
        assert CaseService(viewer).details(case_id)["name_latin"] == "Sunita"  # may read
        with pytest.raises(PermissionDenied):
            CaseService(viewer).update(case_id, {"name_latin": "Sunitha"})
        with pytest.raises(PermissionDenied):
            a_case(viewer)
        for who in (viewer, op):
            with pytest.raises(PermissionDenied):
                export_cases(who, tmp_path / "out.csv")
            assert not (tmp_path / "out.csv").exists()
        CaseService(op).update(case_id, {"name_latin": "Sunitha"})  # an operator edits
        with pytest.raises(PermissionDenied):
            CaseService(op).transition(case_id, "close", {"closed_reason": "duplicate_report"})
        assert CaseService(ctx).details(case_id)["status"] == "missing"  # nothing changed
        CaseService(ctx).transition(case_id, "close", {"closed_reason": "duplicate_report"})
        assert CaseService(ctx).details(case_id)["status"] == "closed"
    finally:
        viewer.db.close()
        op.db.close()


def test_tampered_row_is_named(ctx):
    with_accounts(ctx)
    a_case(ctx)
    with ctx.db.read() as s:
        target = s.scalars(select(AuditEvent).where(AuditEvent.action == "case_create")).one()
    assert AuditTrail(ctx).verify().broken is None
    with ctx.db.write() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == target.seq).values(actor="someone"))
    result = AuditTrail(ctx).verify()
    assert result.broken is not None and result.broken.seq == target.seq
    with ctx.db.read() as s:
        assert audit.verify(s) == target.seq


# -- the command line, as a script runs it -------------------------------------------------
def muskan(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("MUSKAN_")}
    for k in ("MUSKAN_PASSPHRASE", "MUSKAN_SHARED"):
        if k in os.environ:
            full[k] = os.environ[k]
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "muskan_desktop.cli", "--home", str(home), *args],
        capture_output=True,
        text=True,
        env=full,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_cli_login_roles_and_audit_verify(tmp_path):
    home = tmp_path / "h"
    r = muskan(
        home, "cases", "add", "--kind", "missing", "--name", "Ramesh", "--sex", "M", "--age", "8"
    )
    assert r.returncode == 0, r.stderr
    case_id = r.stdout.strip()
    r = muskan(home, "officer", "add", "sho", "--role", "sho", MUSKAN_NEW_PASSWORD=SHO_PW)
    assert r.returncode == 0, r.stderr
    # from now on every command logs in
    r = muskan(home, "cases", "list")
    assert r.returncode == 7 and "log in" in r.stderr
    sho = {"MUSKAN_OFFICER": "sho", "MUSKAN_PASSWORD": SHO_PW}
    for name, role, pw in (("op", "operator", "operator-pw-1"), ("vw", "viewer", "viewer-pw-1")):
        r = muskan(home, "officer", "add", name, "--role", role, MUSKAN_NEW_PASSWORD=pw, **sho)
        assert r.returncode == 0, r.stderr
    viewer = {"MUSKAN_OFFICER": "vw", "MUSKAN_PASSWORD": "viewer-pw-1"}
    op = {"MUSKAN_OFFICER": "op", "MUSKAN_PASSWORD": "operator-pw-1"}
    r = muskan(home, "cases", "edit", case_id, "--set", "name_latin=Rameshwar", **viewer)
    assert r.returncode == 6 and "may not edit" in r.stderr
    for who in (viewer, op):
        r = muskan(home, "cases", "export", str(tmp_path / "all.csv"), **who)
        assert r.returncode == 6 and "may not export" in r.stderr
        assert not (tmp_path / "all.csv").exists()
    r = muskan(home, "cases", "step", case_id, "close", "closed_reason=duplicate_report", **op)
    assert r.returncode == 6 and "may not delete" in r.stderr
    r = muskan(home, "cases", "edit", case_id, "--set", "name_latin=Rameshwar", **op)
    assert r.returncode == 0, r.stderr
    r = muskan(home, "audit", "verify", **op)
    assert r.returncode == 6
    r = muskan(home, "audit", "verify", **sho)
    assert r.returncode == 0 and "intact" in r.stdout
    # wrong passwords lock the account, also from the command line
    for _ in range(MAX_FAILURES):
        r = muskan(home, "login", MUSKAN_OFFICER="op", MUSKAN_PASSWORD="wrong-password")
        assert r.returncode == 7
    assert "locked" in r.stderr
    assert muskan(home, "login", **op).returncode == 7
    r = muskan(home, "officer", "unlock", "op", **sho)
    assert r.returncode == 0, r.stderr
    assert muskan(home, "login", **op).returncode == 0
    # an edited audit row: verify fails and names it
    ctx = open_context(home, actor="sho", password=SHO_PW)
    with ctx.db.read() as s:
        seq = s.scalar(select(AuditEvent.seq).where(AuditEvent.action == "case_edit"))
    with ctx.db.write() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == seq).values(details={}))
    ctx.db.close()
    r = muskan(home, "audit", "verify", **sho)
    assert r.returncode == 8
    assert f"broken at row {seq} " in r.stderr and "case_edit by op" in r.stderr
    r = muskan(home, "audit", "list", "--action", "login", "--json", **sho)
    assert r.returncode == 0 and '"login_failed"' in r.stdout
