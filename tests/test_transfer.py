"""Tests for muskan_desktop.transfer: CSV import with per-row errors, CSV/XLSX export."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from muskan_desktop import audit
from muskan_desktop.context import Context, open_context
from muskan_desktop.errors import MuskanError
from muskan_desktop.models import AuditEvent, Case, NameKey
from muskan_desktop.search import CaseFilter
from muskan_desktop.transfer import (
    CSV_COLUMNS_DOC,
    EXPORT_COLUMNS,
    Cancelled,
    ImportReport,
    RowError,
    export_cases,
    import_csv,
)

HEADER = (
    "Kind,Name Latin,name_deva,SEX,age_years,date_of_birth,reported_on,last_seen_on,"
    "guardian_phone,fir_number,category,station"
)
GOOD = [
    "missing,Asha Kujur,आशा कुजूर,F,9,,2026-10-20,2026-10-19,9876543210,0045/2026,lost,",
    "missing,,सुनीता मिंज,F,,2014-05-02,2026-10-21,2026-10-20,,0046/2026,runaway,Ambikapur",
    "missing,Ramesh Toppo,,M,15,,2026-10-22,2026-10-22,+91 98270 12345,,kidnapped,",
    "found,Unknown boy,,M,6,,2026-10-25,,,,,SURGUJA-LAKHANPUR",
    "found,Gudiya,गुड़िया,F,4,,,,,,,",
]
BAD = [
    "missing,Future Kid,,M,10,,2026-12-01,2026-10-01,,,lost,",  # reported in the future
    "missing,Too Old,,F,19,,2026-10-01,2026-09-30,,,runaway,",  # 19 years old
    "missing,Bad Date,,F,8,,2026-02-30,,,,lost,",  # no 30 February
    "missing,Bad Phone,,M,12,,2026-10-01,,12345,,lost,",  # not a phone number
    "missing,Too Many,,M,12,,2026-10-01,,,,lost,,extra",  # 13 cells
]


@pytest.fixture
def ctx(tmp_path: Path):
    c = _open(tmp_path / "home")
    yield c
    c.db.close()


def _open(home: Path) -> Context:
    c = open_context(home, actor="test-officer")
    c.today = lambda: dt.date(2026, 11, 1)
    c.clock = lambda: dt.datetime(2026, 11, 1, 10, 0)
    return c


def _write(path: Path, lines: list[str], *, bom: bool = False) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig" if bom else "utf-8")
    return path


def _count(ctx: Context, model=Case, **where) -> int:
    with ctx.db.read() as s:
        q = select(func.count()).select_from(model)
        for k, v in where.items():
            q = q.where(getattr(model, k) == v)
        return s.scalar(q)


def _cases(ctx: Context) -> list[Case]:
    with ctx.db.read() as s:
        q = select(Case).options(joinedload(Case.station)).order_by(Case.reported_on, Case.id)
        return list(s.scalars(q))


def test_good_rows_go_in_and_every_bad_row_is_reported(ctx, tmp_path):
    path = _write(tmp_path / "cases.csv", [HEADER, *GOOD, "", *BAD], bom=True)
    seen = []
    report = import_csv(ctx, path, progress=lambda done, total: seen.append((done, total)))

    assert report.imported == 5 and len(report.ids) == 5
    assert _count(ctx) == 5
    cases = {c.id: c for c in _cases(ctx)}
    assert set(cases) == set(report.ids)
    by_fir = {c.fir_number: c for c in cases.values() if c.fir_number}
    assert by_fir["0045/2026"].name_deva == "आशा कुजूर"
    assert by_fir["0045/2026"].guardian_phone == "+919876543210"
    assert by_fir["0045/2026"].status == "missing" and by_fir["0045/2026"].age_is_estimate
    sunita = by_fir["0046/2026"]
    assert sunita.name_latin is None and sunita.name_deva == "सुनीता मिंज"
    assert sunita.date_of_birth == dt.date(2014, 5, 2) and not sunita.age_is_estimate
    found = [c for c in cases.values() if c.kind == "found"]
    assert {c.status for c in found} == {"registered"}
    gudiya = next(c for c in found if c.name_latin == "Gudiya")
    assert gudiya.reported_on == dt.date(2026, 11, 1) == gudiya.found_on
    boy = next(c for c in found if c.name_latin == "Unknown boy")
    assert boy.station.code == "SURGUJA-LAKHANPUR" and boy.district == "Surguja"
    assert all(c.created_by == "test-officer" and c.version == 1 for c in cases.values())
    assert _count(ctx, NameKey) > 0  # the name index is written with the rows

    # the blank row 7 is skipped but still counted, as a spreadsheet numbers it
    by_row: dict[int, list[RowError]] = {}
    for e in report.errors:
        by_row.setdefault(e.row, []).append(e)
    assert sorted(by_row) == [8, 9, 10, 11, 12]
    assert [(e.field, "in the future" in e.message) for e in by_row[8]] == [("reported_on", True)]
    assert by_row[9][0].field == "age_years" and "under 18" in by_row[9][0].message
    assert (
        by_row[10][0].field == "reported_on" and "not a real calendar date" in by_row[10][0].message
    )
    assert by_row[11][0].field == "guardian_phone" and "12345" in by_row[11][0].message
    assert by_row[12] == [RowError(12, "", "has 13 cells, the header has 12")]
    assert report.rejected == 5
    assert "row 9, age_years: 19 years: a child must be under 18 when missing" in report.lines()
    assert "row 12: has 13 cells, the header has 12" in report.lines()
    assert seen[-1] == (16, 16)  # 11 rows checked, 5 written

    with ctx.db.read() as s:
        ev = s.scalar(select(AuditEvent).where(AuditEvent.action == "import"))
    assert ev.details == {"file": "cases.csv", "imported": 5, "rejected": 5}

    out = tmp_path / "errors.csv"
    report.save(out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        saved = list(csv.reader(fh))
    assert saved[0] == ["row", "field", "message"] and len(saved) == len(report.errors) + 1


def test_every_bad_field_of_a_row_is_reported(ctx, tmp_path):
    path = _write(
        tmp_path / "c.csv",
        [HEADER, "missing,,,Q,abc,,2026-13-01,,12,,stolen,Nowhere", GOOD[0]],
    )
    report = import_csv(ctx, path)
    fields = {e.field for e in report.errors}
    assert {"sex", "age_years", "reported_on", "guardian_phone", "category", "station"} <= fields
    assert {e.row for e in report.errors} == {2}
    assert report.imported == 1


def test_unknown_station_rejects_only_that_row(ctx, tmp_path):
    path = _write(tmp_path / "c.csv", [HEADER, GOOD[0], GOOD[2].rstrip(",") + ",Atlantis"])
    report = import_csv(ctx, path)
    assert report.imported == 1
    assert report.lines() == ["row 3, station: no station 'Atlantis'"]


def test_unknown_column_refuses_the_file(ctx, tmp_path):
    path = _write(tmp_path / "c.csv", [HEADER + ",nam_latin,colour", GOOD[0] + ",x,y"])
    with pytest.raises(MuskanError) as err:
        import_csv(ctx, path)
    assert "'nam_latin' (did you mean name_latin?)" in err.value.message
    assert "'colour'" in err.value.message
    assert _count(ctx) == 0 and _count(ctx, AuditEvent, action="import") == 0


def test_missing_required_column(ctx, tmp_path):
    path = _write(tmp_path / "c.csv", ["kind,name_latin,age_years", "missing,Asha,9"])
    with pytest.raises(MuskanError, match="no sex column"):
        import_csv(ctx, path)
    assert _count(ctx) == 0


def test_export_only_columns_are_accepted_and_ignored(ctx, tmp_path):
    path = _write(
        tmp_path / "c.csv",
        ["id,Status,kind,name_latin,sex,age_years,closed-reason", "abc,closed,missing,Asha,F,9,x"],
    )
    report = import_csv(ctx, path)
    assert report.imported == 1 and report.errors == []
    (case,) = _cases(ctx)
    assert case.id != "abc" and case.status == "missing" and case.closed_reason is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00", "is not a UTF-8 CSV file"),
        ("kind,sex\nmissing,F\n".encode("utf-16"), "is not a UTF-8 CSV file"),
        ("kind,name_latin\nmissing,Ñandú\n".encode("cp1252"), "is not a UTF-8 CSV file"),
        (b"", "is empty"),
        (b"\xef\xbb\xbf\r\n  \r\n", "is empty"),
        (b"kind,sex,name_latin,age_years\r\n", "no cases"),
    ],
)
def test_unreadable_or_empty_files(ctx, tmp_path, content, message):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(MuskanError, match=message):
        import_csv(ctx, path)
    assert _count(ctx) == 0 and _count(ctx, AuditEvent, action="import") == 0


def test_missing_file(ctx, tmp_path):
    with pytest.raises(MuskanError, match="Cannot read"):
        import_csv(ctx, tmp_path / "nope.csv")


def test_cancel_writes_nothing(ctx, tmp_path):
    rows = [f"missing,Child {i},,F,{i % 17},,2026-10-01,,,{i:04d}/2026,lost," for i in range(1200)]
    path = _write(tmp_path / "big.csv", [HEADER, *rows])
    with pytest.raises(Cancelled, match="Import cancelled; nothing was imported"):
        import_csv(ctx, path, cancel=lambda: True)
    assert _count(ctx) == 0 and _count(ctx, AuditEvent, action="import") == 0

    ticks = []
    report = import_csv(ctx, path, progress=lambda d, t: ticks.append((d, t)))
    assert report.imported == 1200 and _count(ctx) == 1200
    assert ticks[:3] == [(500, 2400), (1000, 2400), (1200, 2400)]  # checked
    assert ticks[3:] == [(1700, 2400), (2200, 2400), (2400, 2400)]  # written


def test_cancel_during_insert_rolls_back(ctx, tmp_path):
    rows = [f"found,Child {i},,M,{i % 17},,2026-10-01,,,,," for i in range(2500)]
    path = _write(tmp_path / "big.csv", [HEADER, *rows])
    calls = []

    def cancel() -> bool:  # says yes only once the rows are being written
        calls.append(1)
        return len(calls) > 7

    with pytest.raises(Cancelled):
        import_csv(ctx, path, cancel=cancel)
    assert _count(ctx) == 0 and _count(ctx, NameKey) == 0


def _sample(ctx: Context, tmp_path: Path) -> ImportReport:
    report = import_csv(ctx, _write(tmp_path / "seed.csv", [HEADER, *GOOD]))
    assert report.imported == 5
    return report


def _names(cases: list[Case]) -> list[tuple[str, str]]:
    return sorted((c.name_latin or "", c.name_deva or "") for c in cases)


def _facts(cases: list[Case]) -> list[str]:
    keep = ("kind", "sex", "age_years", "date_of_birth", "reported_on", "guardian_phone")
    return sorted(str([getattr(c, k) for k in keep]) for c in cases)


def test_csv_round_trip(ctx, tmp_path):
    _sample(ctx, tmp_path)
    out = tmp_path / "export" / "cases.csv"
    out.parent.mkdir()
    seen = []
    assert export_cases(ctx, out, progress=lambda d, t: seen.append((d, t))) == 5
    assert seen[-1] == (5, 5)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert [p.name for p in out.parent.iterdir()] == ["cases.csv"]  # no temporary file left
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    asha = next(r for r in rows if r["fir_number"] == "0045/2026")
    assert asha["station"] == "SURGUJA-AMBIKAPUR" and asha["district"] == "Surguja"
    assert asha["reported_on"] == "2026-10-20" and asha["status"] == "missing"

    other = _open(tmp_path / "other")
    try:
        report = import_csv(other, out)
        assert report.errors == [] and report.imported == 5
        before, after = _cases(ctx), _cases(other)
        assert _names(after) == _names(before)
        assert "सुनीता मिंज" in {c.name_deva for c in after}
        assert sorted(c.fir_number or "" for c in after) == ["", "", "", "0045/2026", "0046/2026"]
        assert _facts(after) == _facts(before)
        assert {c.station.code for c in after} == {c.station.code for c in before}
    finally:
        other.db.close()


def test_xlsx_export(ctx, tmp_path):
    _sample(ctx, tmp_path)
    with ctx.db.write() as s:  # a name that looks like a formula stays text
        s.get(Case, _cases(ctx)[0].id).name_latin = "=HYPERLINK(1)"
    out = tmp_path / "cases.xlsx"
    assert export_cases(ctx, out) == 5
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(EXPORT_COLUMNS) and len(rows) == 6
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    col = {name: i for i, name in enumerate(rows[0])}
    asha = next(r for r in rows[1:] if r[col["fir_number"]] == "0045/2026")
    assert isinstance(asha[col["fir_number"]], str)
    assert asha[col["guardian_phone"]] == "+919876543210"
    assert asha[col["name_deva"]] == "आशा कुजूर"
    assert asha[col["reported_on"]].date() == dt.date(2026, 10, 20)
    assert "=HYPERLINK(1)" in [r[col["name_latin"]] for r in rows]
    cell = next(c for c in ws.iter_rows(min_row=2) if c[col["name_latin"]].value[:1] == "=")
    assert cell[col["name_latin"]].data_type == "s"


def test_export_with_filter(ctx, tmp_path):
    _sample(ctx, tmp_path)
    out = tmp_path / "found.csv"
    assert export_cases(ctx, out, CaseFilter(kind="found", limit=1)) == 2
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert {r["kind"] for r in csv.DictReader(fh)} == {"found"}


def test_export_suffix_and_audit(ctx, tmp_path):
    _sample(ctx, tmp_path)
    with pytest.raises(MuskanError, match=r"\.csv or \.xlsx"):
        export_cases(ctx, tmp_path / "cases.pdf")
    assert not (tmp_path / "cases.pdf").exists()
    assert _count(ctx, AuditEvent, action="export") == 0
    export_cases(ctx, tmp_path / "Cases.CSV")
    with ctx.db.read() as s:
        ev = s.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert ev.details == {"file": "Cases.CSV", "rows": 5, "format": ".csv"}
    assert ev.actor == "test-officer"


def test_export_cancel_leaves_no_file(ctx, tmp_path):
    _sample(ctx, tmp_path)
    out = tmp_path / "out" / "cases.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"old")
    with pytest.raises(Cancelled, match="Export cancelled"):
        export_cases(ctx, out, cancel=lambda: True)
    assert [p.name for p in out.parent.iterdir()] == ["cases.xlsx"]
    assert out.read_bytes() == b"old"
    assert _count(ctx, AuditEvent, action="export") == 0


def test_columns_doc_names_every_column():
    for name in ("kind", "sex", "station", "fir_number", "YYYY-MM-DD", "trafficking"):
        assert name in CSV_COLUMNS_DOC


def test_forgiving_about_what_spreadsheets_do(ctx, tmp_path):
    path = _write(
        tmp_path / "c.csv",
        [
            "",  # a blank line above the header
            "KIND,Name-Latin,Sex,Age Years,Category,,",  # two unnamed, empty columns
            "Missing,Asha,f,9,Runaway,,",
            "FOUND,Raju,m,7,,,,,",  # blank cells beyond the header are harmless
            "missing,Sita,F,8,lost,,oops",
        ],
    )
    report = import_csv(ctx, path)
    assert report.imported == 2
    assert report.lines() == ["row 5, column 7: has a value but no column name"]
    got = {c.name_latin: (c.kind, c.sex, c.category) for c in _cases(ctx)}
    assert got == {"Asha": ("missing", "F", "runaway"), "Raju": ("found", "M", None)}


def test_a_column_twice_is_refused(ctx, tmp_path):
    path = _write(tmp_path / "c.csv", ["kind,sex,name_latin,Name Latin", "missing,F,Asha,Asha"])
    with pytest.raises(MuskanError, match="more than once: name_latin"):
        import_csv(ctx, path)


def test_export_to_a_missing_folder(ctx, tmp_path):
    with pytest.raises(MuskanError, match="Cannot write in"):
        export_cases(ctx, tmp_path / "no" / "such" / "cases.csv")


def test_audit_chain_stays_intact(ctx, tmp_path):
    _sample(ctx, tmp_path)
    export_cases(ctx, tmp_path / "all.xlsx")
    with ctx.db.read() as s:
        assert audit.verify(s) is None
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions[-2:] == ["import", "export"]
