"""Review-meeting figures on a register whose answers are known, and the demo generator."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from sqlalchemy import func, select

from muskan_desktop.cases import CaseService
from muskan_desktop.demo import DemoGenerator
from muskan_desktop.models import Case, LifecycleEvent, NameKey
from muskan_desktop.stats import review_stats

from .conftest import fixed


def add(svc, reported, sex="F", district="Surguja", **kw):
    return svc.create(
        {
            "kind": "missing",
            "name_latin": "Child",
            "sex": sex,
            "age_years": 12,
            "reported_on": reported,
            **kw,
        },
        district=district,
    ).id


def test_figures_of_a_known_register(ctx):
    svc = CaseService(ctx)
    # recovered in October from Delhi (girl) and Gujarat (boy), one restored
    a = add(svc, "2026-09-01")
    svc.transition(
        a,
        "trace",
        {"located_state": "Delhi", "located_place": "Anand Vihar", "located_on": "2026-10-05"},
    )
    svc.transition(a, "recover", {"recovered_on": "2026-10-10"})
    svc.transition(a, "restore", {"restored_on": "2026-10-12", "restored_to": "Father"})
    b = add(svc, "2025-06-01", sex="M", district="Jashpur")
    svc.transition(b, "recover", {"recovered_on": "2026-10-20", "located_state": "Gujarat"})
    # located in Maharashtra, not yet recovered: for the inter-state team
    c = add(svc, "2026-10-03", category="trafficking")
    svc.transition(
        c,
        "trace",
        {"located_state": "Maharashtra", "located_place": "Pune", "located_on": "2026-10-25"},
    )
    # pending, reported long ago (over a year): due for escalation
    add(svc, "2025-01-15", district="Jashpur")
    # reported after the period: not counted at all
    add(svc, "2026-11-01")

    data = review_stats(ctx, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert data["recovered"] == {
        "total": 2,
        "boys": 1,
        "girls": 1,
        "other": 0,
        "states": 2,
        "other_states": 2,
    }
    assert {s["state"]: s["total"] for s in data["recovered_from_states"]} == {
        "Delhi": 1,
        "Gujarat": 1,
    }
    t = data["totals"]
    assert (t["reported"], t["traced"], t["recovered"], t["restored"], t["pending"]) == (
        1,
        2,
        2,
        1,
        2,
    )
    assert t["pending_by_age"] == {
        "under_1_month": 1,
        "1_4_months": 0,
        "4_12_months": 0,
        "over_1_year": 1,
    }
    by_d = {d["district"]: d for d in data["districts"]}
    assert by_d["Jashpur"]["recovered"] == 1 and by_d["Jashpur"]["pending"] == 1
    assert [x["case_id"] for x in data["located_not_recovered"]] == [c]
    assert data["located_not_recovered"][0]["state"] == "Maharashtra"
    assert [x["case_id"] for x in data["trafficking"]] == [c]
    assert {x["reason"] for x in data["escalation_due"]} == {
        "suspected_trafficking",
        "missing_over_4_months",
    }
    assert [x["case_id"] for x in data["long_pending_traced"]] == [b]
    only_jashpur = review_stats(ctx, dt.date(2026, 10, 1), dt.date(2026, 10, 31), "Jashpur")
    assert only_jashpur["recovered"]["total"] == 1 and only_jashpur["totals"]["pending"] == 1


def test_demo_is_deterministic_and_realistic(tmp_path):
    from muskan_desktop.context import open_context

    regs = []
    for name in ("a", "b"):
        ctx = fixed(open_context(tmp_path / name))
        DemoGenerator(ctx, seed=5).generate(2000)
        with ctx.db.read() as s:
            regs.append(
                [
                    (c.id, c.name_latin, c.name_deva, c.status, c.reported_on)
                    for c in s.scalars(select(Case).order_by(Case.id))
                ]
            )
            statuses = dict(
                s.execute(select(Case.status, func.count()).group_by(Case.status)).all()
            )
            states = set(s.scalars(select(Case.located_state).distinct()))
            girls = s.scalar(select(func.count()).where(Case.sex == "F"))
            keys = s.scalar(select(func.count()).select_from(NameKey))
            districts = set(s.scalars(select(Case.district).distinct()))
            # every case's status agrees with its last lifecycle event
            last = dict(
                s.execute(
                    select(LifecycleEvent.case_id, LifecycleEvent.to_status).order_by(
                        LifecycleEvent.seq
                    )
                ).all()
            )
            for cid, status in s.execute(select(Case.id, Case.status)):
                if cid in last:
                    assert last[cid] == status
        ctx.db.close()
    assert regs[0] == regs[1]
    assert set(statuses) >= {
        "missing",
        "traced",
        "recovered",
        "restored",
        "registered",
        "identified",
    }
    assert {"Delhi", "Uttar Pradesh", "Gujarat", "Bihar", "Jharkhand"} <= states
    assert girls > 1000
    assert keys > 2000
    assert districts == {
        "Surguja",
        "Surajpur",
        "Balrampur-Ramanujganj",
        "Koriya",
        "Manendragarh-Chirmiri-Bharatpur",
        "Jashpur",
    }


def test_demo_refuses_a_register_with_real_cases(ctx):
    CaseService(ctx).create({"kind": "missing", "name_latin": "A", "sex": "F", "age_years": 3})
    import pytest

    from muskan_desktop.errors import MuskanError

    with pytest.raises(MuskanError, match="already holds cases"):
        DemoGenerator(ctx).generate(10)


def test_cli_stats_json_and_list_json(tmp_path):
    home = tmp_path / "h"

    def run(*a):
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "muskan_desktop.cli",
                "--home",
                str(home),
                *a,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("demo", "--cases", "1500", "--seed", "2").returncode == 0
    out = run("cases", "list", "--district", "Surguja", "--status", "missing", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows and all(r["district"] == "Surguja" and r["status"] == "missing" for r in rows)
    assert {"id", "kind", "name", "sex", "age_years", "reported_on"} <= set(rows[0])
    st = run("stats", "--from", "2026-01-01", "--to", "2026-12-31", "--json")
    assert st.returncode == 0, st.stderr
    data = json.loads(st.stdout)
    assert (
        data["recovered"]["total"]
        == data["recovered"]["boys"] + data["recovered"]["girls"] + data["recovered"]["other"]
    )
    assert sum(d["pending"] for d in data["districts"]) == data["totals"]["pending"]
