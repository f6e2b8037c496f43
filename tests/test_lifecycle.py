"""The case lifecycle is a state machine: only allowed moves, each recorded with its details."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from muskan_desktop.cases import CaseService
from muskan_desktop.context import open_context
from muskan_desktop.domain import LIFECYCLE, Kind, Status
from muskan_desktop.errors import TransitionError, ValidationError
from muskan_desktop.models import Case, LifecycleEvent

from .conftest import TODAY, fixed

GOOD_DETAILS = {
    "located_state": "Delhi",
    "located_place": "Anand Vihar railway station",
    "located_on": "2026-10-20",
    "recovered_on": "2026-10-25",
    "restored_on": "2026-10-27",
    "restored_to": "Ramesh Minj",
    "closed_reason": "returned_home_on_own",
    "identified_as": "Sunita Minj of PS Ambikapur",
    "note": "reopened on fresh information",
}
ACTIONS = sorted({a for k in LIFECYCLE.values() for steps in k.values() for a in steps})
REQUIRED_FOR = {  # what the case must carry once it reaches a status
    Status.TRACED: ("located_state", "located_on"),
    Status.RECOVERED: ("recovered_on",),
    Status.RESTORED: ("restored_on", "restored_to"),
    Status.CLOSED: ("closed_reason", "closed_on"),
}


def new_case(svc: CaseService, kind: Kind) -> Case:
    extra = {"last_seen_on": "2026-09-30"} if kind is Kind.MISSING else {"found_on": "2026-10-01"}
    return svc.create(
        {
            "kind": kind.value,
            "name_latin": "Sunita Minj",
            "sex": "F",
            "age_years": "12",
            "reported_on": "2026-10-01",
            **extra,
        }
    )


def test_full_missing_lifecycle_records_who_when_and_details(ctx):
    svc = CaseService(ctx)
    c = new_case(svc, Kind.MISSING)
    svc.transition(
        c.id,
        "trace",
        {
            "located_state": "दिल्ली",
            "located_place": "Anand Vihar",
            "located_on": "2026-10-20",
            "team_sent": "SI Toppo + 2",
        },
    )
    svc.transition(c.id, "recover", {"recovered_on": "2026-10-25"})
    svc.transition(
        c.id,
        "restore",
        {"restored_on": "2026-10-27", "restored_to": "Ramesh Minj", "restored_relation": "Father"},
    )
    data = svc.details(c.id)
    assert data["status"] == "restored"
    assert data["located_state"] == "Delhi"  # Hindi pick normalised to the canonical name
    assert [(e["from"], e["to"]) for e in data["events"]] == [
        ("missing", "traced"),
        ("traced", "recovered"),
        ("recovered", "restored"),
    ]
    assert all(e["by"] == "SI Test" for e in data["events"])
    assert data["events"][0]["details"]["team_sent"] == "SI Toppo + 2"
    with pytest.raises(TransitionError, match="finished"):
        svc.transition(c.id, "close", {"closed_reason": "other"})


def test_step_asks_for_what_it_must_record(ctx):
    svc = CaseService(ctx)
    c = new_case(svc, Kind.MISSING)
    with pytest.raises(ValidationError) as e:
        svc.transition(c.id, "trace", {"located_state": "Atlantis", "located_on": "2027-01-01"})
    fields = {(x.field, x.code) for x in e.value.errors}
    assert ("located_state", "unknown_state") in fields
    assert ("located_on", "future_date") in fields
    assert ("located_place", "required") in fields
    with pytest.raises(TransitionError, match="cannot be 'restore'"):
        svc.transition(c.id, "restore", {"restored_on": "2026-10-27", "restored_to": "x"})
    assert svc.details(c.id)["status"] == "missing"
    assert svc.details(c.id)["events"] == []


def test_found_child_lifecycle(ctx):
    svc = CaseService(ctx)
    c = svc.create({"kind": "found", "sex": "M", "age_years": 9})
    assert c.status == "registered"
    svc.transition(c.id, "identify", {"identified_as": "Rahul Ekka, missing from Jashpur"})
    svc.transition(c.id, "restore", {"restored_on": "2026-10-30", "restored_to": "Anil Ekka"})
    assert svc.details(c.id)["status"] == "restored"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(list(Kind)),
    moves=st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.sets(st.sampled_from(list(GOOD_DETAILS)))),
        max_size=8,
    ),
)
def test_random_move_sequences_never_reach_an_illegal_state(tmp_path_factory, kind, moves):
    ctx = fixed(open_context(tmp_path_factory.mktemp("h"), actor="SI Test"))
    try:
        svc = CaseService(ctx)
        c = new_case(svc, kind)
        history = [Status(c.status)]
        for action, keys in moves:
            before = svc.details(c.id)
            try:
                svc.transition(c.id, action, {k: GOOD_DETAILS[k] for k in keys})
            except (TransitionError, ValidationError):
                after = svc.details(c.id)
                assert after["status"] == before["status"]
                assert after["events"] == before["events"]
                continue
            history.append(Status(svc.details(c.id)["status"]))
        with ctx.db.read() as s:
            case = s.get(Case, c.id)
            events = list(
                s.scalars(
                    select(LifecycleEvent)
                    .where(LifecycleEvent.case_id == c.id)
                    .order_by(LifecycleEvent.seq)
                )
            )
            status = Status(case.status)
            assert status in LIFECYCLE[kind]
            for field in REQUIRED_FOR.get(status, ()):
                assert getattr(case, field) is not None, (status, field)
            prev = history[0]
            for i, e in enumerate(events, 1):
                assert e.seq == i and e.from_status == prev
                assert LIFECYCLE[kind][Status(prev)][e.action].target == e.to_status
                prev = e.to_status
            assert prev == case.status
            # a restored child is never moved back
            if Status.RESTORED in history:
                assert history[history.index(Status.RESTORED) :] == [Status.RESTORED] * (
                    len(history) - history.index(Status.RESTORED)
                )
    finally:
        ctx.db.close()


def test_dates_before_the_report_are_refused(ctx):
    svc = CaseService(ctx)
    c = new_case(svc, Kind.MISSING)
    with pytest.raises(ValidationError, match="before the case was reported"):
        svc.transition(c.id, "recover", {"recovered_on": "2026-09-01"})
    assert dt.date(2026, 10, 1) < TODAY
