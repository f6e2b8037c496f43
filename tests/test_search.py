"""Finding a child by name in either script, with the spellings officers actually write."""

from __future__ import annotations

import pytest

from muskan_desktop.cases import CaseService
from muskan_desktop.demo import DemoGenerator
from muskan_desktop.search import CaseFilter, SearchIndex


@pytest.fixture
def register(ctx):
    svc = CaseService(ctx)
    ids = {
        "sunita": svc.create(
            {
                "kind": "missing",
                "name_latin": "Sunita Minj",
                "name_deva": "सुनीता मिंज",
                "sex": "F",
                "age_years": 12,
            },
            district="Surguja",
        ).id,
        "sunita_deva_only": svc.create(
            {"kind": "missing", "name_deva": "सुनीता लकड़ा", "sex": "F", "age_years": 14},
            district="Jashpur",
        ).id,
        "sarita": svc.create(
            {"kind": "missing", "name_latin": "Sarita Kujur", "sex": "F", "age_years": 9},
            district="Surguja",
        ).id,
        "rahul": svc.create(
            {"kind": "found", "name_latin": "Rahul", "sex": "M", "age_years": 7}, district="Koriya"
        ).id,
        "pooja": svc.create(
            {"kind": "missing", "name_latin": "Puja Tirki", "sex": "F", "age_years": 16},
            district="Surajpur",
        ).id,
    }
    return ctx, ids


def find(ctx, **kw):
    with ctx.db.read() as s:
        return {c.id for c in SearchIndex.for_db(ctx.db).search(s, CaseFilter(**kw))}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sunita", {"sunita", "sunita_deva_only"}),
        ("सुनीता", {"sunita", "sunita_deva_only"}),
        ("Sunitha", {"sunita", "sunita_deva_only"}),
        ("Suneeta", {"sunita", "sunita_deva_only"}),
        ("sunita minj", {"sunita"}),
        ("Sunita Lakra", {"sunita_deva_only"}),
        ("Pooja Tirkey", {"pooja"}),
        ("पूजा", {"pooja"}),
        ("राहुल", {"rahul"}),
        ("Kavita", set()),
    ],
)
def test_name_across_scripts_and_variants(register, query, expected):
    ctx, ids = register
    assert find(ctx, name=query) == {ids[k] for k in expected}


def test_filters_combine(register):
    ctx, ids = register
    assert find(ctx, name="Sunita", district="Surguja") == {ids["sunita"]}
    assert find(ctx, kind="found") == {ids["rahul"]}
    assert find(ctx, sex="M") == {ids["rahul"]}
    assert find(ctx, age_band="15-17") == {ids["pooja"]}
    assert find(ctx, status=["missing"], district="Surguja") == {ids["sunita"], ids["sarita"]}


def test_duplicate_warning_before_saving(register):
    ctx, ids = register
    svc = CaseService(ctx)
    hits = svc.find_duplicates(
        {"kind": "missing", "name_latin": "Suneeta Minj", "sex": "F", "age_years": 13},
        district="Surguja",
    )
    assert [h.case_id for h in hits] == [ids["sunita"]]
    assert (
        svc.find_duplicates(
            {"kind": "missing", "name_latin": "Suneeta Minj", "age_years": 5}, district="Surguja"
        )
        == []
    )
    svc.update(ids["sarita"], {"guardian_phone": "9826123456"})
    hits = svc.find_duplicates(
        {
            "kind": "missing",
            "name_latin": "Geeta",
            "age_years": 3,
            "guardian_phone": "+919826123456",
        }
    )
    assert [(h.case_id, h.reason) for h in hits] == [(ids["sarita"], "same_guardian_phone")]


def test_edit_of_a_name_reindexes(register):
    ctx, ids = register
    CaseService(ctx).update(ids["sarita"], {"name_latin": "Savitri Kujur"})
    assert find(ctx, name="Sarita") == set()
    assert find(ctx, name="सावित्री") == {ids["sarita"]}


def test_search_in_a_demo_register_finds_every_spelling(ctx):
    DemoGenerator(ctx, seed=7).generate(3000)
    latin = find(ctx, name="Sunita")
    deva = find(ctx, name="सुनीता")
    variant = find(ctx, name="Sunitha")
    assert len(latin) > 20
    assert latin == deva == variant
    with ctx.db.read() as s:
        idx = SearchIndex.for_db(ctx.db)
        for c in idx.search(s, CaseFilter(name="सुनीता")):
            assert "सुनीता" in (c.name_deva or "") or "Sun" in (c.name_latin or ""), c.name_latin


def test_match_index_stubs_of_other_districts_stay_out_of_lists_and_figures(register):
    """Sync holds other districts' cases only for face matching: the register, `cases list`
    and the review figures show this station's cases, not those stubs."""
    import datetime as dt

    from sqlalchemy import insert

    from muskan_desktop.stats import review_stats
    from muskan_desktop.sync.tables import remote_cases

    ctx, ids = register
    assert ids["rahul"] in find(ctx) and ids["pooja"] in find(ctx)
    before = review_stats(ctx, dt.date(2000, 1, 1), dt.date(2026, 11, 1), None, record=False)
    with ctx.db.write() as s:
        s.execute(insert(remote_cases), [{"case_id": ids["pooja"], "station_code": "JH-001"}])
    assert ids["pooja"] not in find(ctx)
    assert find(ctx) == {v for k, v in ids.items() if k != "pooja"}
    assert ids["pooja"] not in find(ctx, name="Pooja Tirkey")
    after = review_stats(ctx, dt.date(2000, 1, 1), dt.date(2026, 11, 1), None, record=False)
    assert after["totals"]["reported"] == before["totals"]["reported"] - 1
    assert "Surajpur" not in {d["district"] for d in after["districts"]}
