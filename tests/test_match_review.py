"""The core under the inbox and the comparison view: the cheap poll, the one-query inbox,
case links from verdicts, and the records compared field by field."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from muskan_desktop.match_alerts import AlertService
from muskan_desktop.match_review import AGREE, DIFFER, ReviewService, trace_details
from muskan_desktop.matching import MatchService
from muskan_desktop.models import AuditEvent, Case, CaseLink

from .conftest import shared_dir
from .test_ui_alerts import found_case, missing_case


@pytest.fixture(scope="module")
def faces_dir() -> Path:
    return shared_dir() / "data" / "faces"


def test_state_changes_with_alerts_and_verdicts_and_is_not_audited(ctx, faces_dir):
    svc = AlertService(ctx)
    m, f = missing_case(ctx), found_case(ctx)
    before = svc.state()
    assert before.open_count == 0
    MatchService(ctx).add_photo(m, faces_dir / "obama.jpg")
    res = MatchService(ctx).add_photo(f, faces_dir / "obama2.jpg")
    raised = svc.state()
    assert raised.open_count == 1 and raised.token != before.token
    with ctx.db.read() as s:
        n_audit = len(s.scalars(select(AuditEvent.seq)).all())
    assert svc.state() == raised  # polling again: same token, nothing written
    with ctx.db.read() as s:
        assert len(s.scalars(select(AuditEvent.seq)).all()) == n_audit
    svc.verdict(res.alerts[0]["alert_id"], "inconclusive", "photo too old to say")
    decided = svc.state()
    assert decided.open_count == 0 and decided.token != raised.token


def test_confirm_links_the_cases_and_a_later_verdict_ends_the_link(ctx, faces_dir):
    svc = AlertService(ctx)
    m, f = missing_case(ctx), found_case(ctx)
    MatchService(ctx).add_photo(m, faces_dir / "obama.jpg")
    alert = MatchService(ctx).add_photo(f, faces_dir / "obama2.jpg").alerts[0]["alert_id"]
    rows = svc.inbox()
    assert [r["alert_id"] for r in rows] == [alert]
    assert rows[0]["found"]["cci_name"] == "Balgrih Jashpur"
    assert rows[0]["missing"]["age_now"] == pytest.approx(11.6, abs=0.1)
    assert svc.inbox(district="Surguja") and svc.inbox(district="Jashpur")
    assert svc.inbox(district="Koriya") == []
    with pytest.raises(Exception, match="order"):
        svc.inbox(order="name")
    svc.verdict(alert, "confirmed", "met the boy at the home")
    with ctx.db.read() as s:
        link = s.scalar(select(CaseLink))
        assert (link.missing_case_id, link.found_case_id, link.ended_at) == (m, f, None)
    assert ReviewService(ctx).pair(m, f).linked
    svc.verdict(alert, "rejected", "family says this is not him")
    with ctx.db.read() as s:
        link = s.scalar(select(CaseLink))
        assert link.ended_at is not None and link.ended_by == ctx.actor
    assert not ReviewService(ctx).pair(m, f).linked


def test_records_side_by_side_flag_contradictions(ctx):
    m = missing_case(ctx, sex="F", height_cm=140, eyes="brown")
    f = found_case(ctx, age_years=17, height_cm=120, eyes="Brown", languages="Odia")
    review = ReviewService(ctx).pair(f, m)  # either order: missing on the left
    assert review.missing["case_id"] == m
    rows = {r.key: r for r in review.rows}
    assert rows["sex"].state == DIFFER  # a girl is never a boy
    assert rows["age"].state == DIFFER
    assert rows["height_cm"].state == DIFFER  # a child does not shrink
    assert rows["eyes"].state == AGREE
    assert rows["identification_marks"].state == AGREE
    assert rows["languages"].state == DIFFER
    assert rows["dates"].state == AGREE
    details = trace_details(review, ctx.today())
    assert details["located_state"] == "Chhattisgarh"
    assert "Balgrih Jashpur" in details["located_place"]
    with ctx.db.read() as s:
        assert s.get(Case, m).status == "missing"
