"""A page of search results (the command line's list, the duplicate check) is exactly that
slice of the whole ordered result, and a name of several words finds only cases with all."""

from __future__ import annotations

import pytest

from muskan_desktop.demo import DemoGenerator
from muskan_desktop.names import name_keys
from muskan_desktop.search import CaseFilter, SearchIndex


@pytest.fixture
def demo(ctx):
    DemoGenerator(ctx, seed=3).generate(1500)
    return ctx


@pytest.mark.parametrize(
    ("name", "order_by", "descending"),
    [
        ("Sunita", "reported_on", True),
        ("सुनीता", "name", False),
        ("Puja Tirki", "reported_on", True),
        ("Sunita", "age", True),
        (None, "reported_on", False),
    ],
)
def test_a_page_is_the_same_slice_of_the_whole_ordered_result(demo, name, order_by, descending):
    idx = SearchIndex.for_db(demo.db)
    with demo.db.read() as s:
        whole = [
            c.id
            for c in idx.search(s, CaseFilter(name=name, order_by=order_by, descending=descending))
        ]
        assert len(whole) >= 3
        for offset, limit in ((0, 2), (1, 2), (len(whole) - 1, 10), (2, 500)):
            f = CaseFilter(
                name=name, order_by=order_by, descending=descending, limit=limit, offset=offset
            )
            page = idx.search(s, f)
            assert [c.id for c in page] == whole[offset : offset + limit]
            assert all(c.reported_on and c.status and c.district for c in page)  # whole rows
        assert idx.search(s, CaseFilter(name="Kavita Xyzzy", limit=10)) == []


def test_every_word_of_a_name_must_match(demo):
    idx = SearchIndex.for_db(demo.db)
    with demo.db.read() as s:
        both = idx.search(s, CaseFilter(name="Puja Tirki"))
        puja = {c.id for c in idx.search(s, CaseFilter(name="Puja"))}
        tirki = {c.id for c in idx.search(s, CaseFilter(name="Tirki"))}
        assert both and {c.id for c in both} == puja & tirki
        assert len(puja & tirki) < len(puja) and len(puja & tirki) < len(tirki)
        for c in both:
            keys = set(name_keys(c.name_latin, c.name_deva, c.aliases))
            assert {"puj", "tirki"} <= keys, c.id
        assert idx.count(s, CaseFilter(name="Puja Tirki", limit=3)) == len(both)
