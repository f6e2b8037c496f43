"""The SHO's audit view says so when rows were cut off the end of the trail."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from muskan_desktop.models import AuditEvent

from .test_security_ui import PASSWORDS, log_in, register, window  # noqa: F401

pytestmark = pytest.mark.usefixtures("modal_boxes")


def test_audit_view_says_rows_were_cut_off_the_end(qtbot, window):  # noqa: F811
    win = window
    log_in(qtbot, win, "sho", PASSWORDS["sho"])
    win.officers.act_audit.trigger()
    view = win.officers.audit_view
    qtbot.addWidget(view)
    view.verify_button.click()
    assert "intact" in view.result.text()
    with win.ctx.db.read() as s:
        top = s.scalar(select(func.max(AuditEvent.seq)))
    with win.ctx.db.write() as s:  # the last three rows removed
        s.execute(delete(AuditEvent).where(AuditEvent.seq > top - 3))
    view.verify_button.click()
    assert f"rows {top - 2} to {top}" in view.result.text()
    assert "intact" not in view.result.text()
