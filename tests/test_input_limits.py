"""Input nobody should be able to slip in (issue 15, items 10 and 15).

CSV export must not hand a spreadsheet a formula to run; CSV import must survive any file
(/dev/zero, a 10 MB cell, an unclosed quote, binary data) in bounded memory, keep the good rows
and say when nothing was imported; the command line must refuse zero and negative limits, a
risk review due before its assessment, direction-changing characters in names and overlong
text. Each refusal: a clear message, a non-zero exit, and the register unchanged.

The commands run as real subprocesses (as tests/test_cli_faults.py does), with their address
space capped so that unbounded reading fails fast instead of swapping the machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from muskan_desktop import csvfile
from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context, open_context
from muskan_desktop.errors import MuskanError, ValidationError
from muskan_desktop.models import AuditEvent, Case, RiskAssessment, TracingEntry
from muskan_desktop.transfer import export_cases, import_csv
from muskan_desktop.validation import clean_case

ENV = {**os.environ, "MUSKAN_OFFICER": "SI Test"}
ENV.pop("MUSKAN_HOME", None)
MUSKAN = (sys.executable, "-m", "muskan_desktop.cli")
MEMORY_CAP = 1536 * 2**20  # the command's address space: far more than any import needs
EXIT_PROBLEM, EXIT_BAD_INPUT, EXIT_ROWS_REJECTED = 1, 2, 5
TODAY = dt.date.today()
HEADER = "kind,name_latin,sex,age_years,guardian_phone,circumstances"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def muskan(home: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MUSKAN, "--home", str(home), *args],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_cap_memory,
    )


def refused(r: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """Exit `code`, no traceback, nothing on stdout, each of `words` in the message."""
    detail = f"exit {r.returncode}\nstdout: {r.stdout[:2000]!r}\nstderr: {r.stderr[-3000:]}"
    assert r.returncode == code, detail
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr, detail
    assert r.stdout.strip() == "", detail
    for w in words:
        assert w.lower() in r.stderr.lower(), f"{w!r} not in the message\n{detail}"
    return r.stderr


def counts(home: Path) -> dict[str, int]:
    """What the register holds: cases, tracing entries, risk assessments, imports audited."""
    ctx = open_context(home, create=False, actor="SI Test")
    try:
        with ctx.db.read() as s:
            return {
                m.__name__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (Case, TracingEntry, RiskAssessment)
            } | {
                "imports": s.scalar(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.action == "import")
                )
                or 0
            }
    finally:
        ctx.db.close()


def names(home: Path) -> list[str]:
    ctx = open_context(home, create=False, actor="SI Test")
    try:
        with ctx.db.read() as s:
            return sorted(n or "" for n in s.scalars(select(Case.name_latin)))
    finally:
        ctx.db.close()


# -- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A register with one missing child, reported 30 days ago; built once per module."""
    home = tmp_path_factory.mktemp("limits") / "home"
    past = (TODAY - dt.timedelta(days=30)).isoformat()
    r = muskan(home, "cases", "add", "--kind", "missing", "--name", "Asha Kujur", "--sex", "F",
               "--age", "10", "--set", f"reported_on={past}",
               "--set", "guardian_phone=9876543210")  # fmt: skip
    assert r.returncode == 0, r.stderr
    return home, r.stdout.strip()


@pytest.fixture
def home(template: tuple[Path, str], tmp_path: Path) -> Path:
    out = tmp_path / "home"
    shutil.copytree(template[0], out)
    return out


@pytest.fixture
def case_id(template: tuple[Path, str]) -> str:
    return template[1]


def _csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


# -- item 10: CSV export never hands a spreadsheet a formula ---------------------------------
FORMULAS = ['=HYPERLINK("http://x","click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3"]


def test_csv_export_escapes_formula_cells_and_imports_back_unchanged(home, tmp_path):
    """Cells starting = + - @ get an apostrophe (a phone +91… too); our import takes it off."""
    ctx = open_context(home, create=False, actor="SI Test")
    try:  # values written before the register refused them (or by an old version)
        with ctx.db.write() as s:
            asha = s.scalars(select(Case)).one()
            asha.name_latin, asha.circumstances = FORMULAS[0], FORMULAS[1]
            asha.aliases, asha.clothing = FORMULAS[2], FORMULAS[3]
            asha.identification_marks = "'=already quoted"
    finally:
        ctx.db.close()
    out = tmp_path / "cases.csv"
    r = muskan(home, "cases", "export", str(out))
    assert r.returncode == 0, r.stderr
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1
    cells = [v for v in rows[0].values() if v]
    assert not [c for c in cells if c.startswith(TRIGGERS)], cells
    row = rows[0]
    assert row["name_latin"] == "'" + FORMULAS[0]
    assert row["circumstances"] == "'" + FORMULAS[1]
    assert row["guardian_phone"] == "'+919876543210"
    assert row["identification_marks"] == "''=already quoted"

    # our own export, imported elsewhere, gives back exactly what was stored (the formula
    # values are refused by the register's rules now, so only the phone and the quoted text)
    ctx = open_context(home, create=False, actor="SI Test")
    try:
        with ctx.db.write() as s:
            asha = s.scalars(select(Case)).one()
            asha.name_latin, asha.circumstances = "Asha Kujur", None
            asha.aliases = asha.clothing = None
    finally:
        ctx.db.close()
    r = muskan(home, "cases", "export", str(out))
    assert r.returncode == 0, r.stderr
    other = tmp_path / "other"
    r = muskan(other, "cases", "import", str(out))
    assert r.returncode == 0, r.stderr
    ctx = open_context(other, create=False, actor="SI Test")
    try:
        with ctx.db.read() as s:
            copy = s.scalars(select(Case)).one()
            assert copy.guardian_phone == "+919876543210"
            assert copy.identification_marks == "'=already quoted"
            assert copy.name_latin == "Asha Kujur"
    finally:
        ctx.db.close()


def test_escaping_is_undone_exactly():
    for value in ["=1", "+91", "-", "@x", "\tx", "'=x", "''+y", "'plain", "plain", ""]:
        assert csvfile.unescape_cell(csvfile.escape_cell(value)) == value
        assert not csvfile.escape_cell(value).startswith(TRIGGERS)


def test_the_error_report_escapes_quoted_values_too(home, tmp_path):
    src = _csv(tmp_path / "in.csv", "missing,=cmd,F,9,,")
    report = tmp_path / "errors.csv"
    r = muskan(home, "cases", "import", str(src), "--errors", str(report))
    assert r.returncode == EXIT_ROWS_REJECTED, r.stderr
    with report.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][:2] == ["2", "name_latin"]
    assert not [c for row in rows for c in row if c.startswith(TRIGGERS)]


# -- item 15: CSV import in bounded memory, good rows kept, "nothing was imported" -------------
def test_dev_zero_is_refused_as_binary_without_running_out_of_memory(home):
    before = counts(home)
    r = muskan(home, "cases", "import", "/dev/zero", timeout=30)
    refused(r, EXIT_PROBLEM, "not a UTF-8 CSV file", "NUL bytes", "Nothing was imported")
    assert counts(home) == before


def test_a_file_with_nul_bytes_is_refused_whole(home, tmp_path):
    src = tmp_path / "nul.csv"
    src.write_bytes(f"{HEADER}\nmissing,Rani,F,9,,\nmissing,Ra\x00ni,F,9,,\n".encode())
    before = counts(home)
    r = muskan(home, "cases", "import", str(src))
    refused(r, EXIT_PROBLEM, "nul.csv", "NUL bytes", "Nothing was imported")
    assert counts(home) == before


def test_a_10_mb_cell_rejects_only_its_row(home, tmp_path):
    src = _csv(
        tmp_path / "big.csv",
        "missing,Good One,F,9,,",
        "missing,Huge,F,9,," + "x" * 10_000_000,
        "missing,Good Two,M,11,,went to the market",
    )
    before = counts(home)
    r = muskan(home, "cases", "import", str(src))
    assert r.returncode == EXIT_ROWS_REJECTED, r.stderr
    assert "Traceback" not in r.stderr
    assert "row 3, circumstances: is far too long" in r.stderr
    assert "2 cases imported, 1 rows rejected" in r.stdout
    assert counts(home)["Case"] == before["Case"] + 2
    assert {"Good One", "Good Two"} <= set(names(home)) and "Huge" not in names(home)


def test_an_unclosed_quote_does_not_swallow_the_next_rows(home, tmp_path):
    src = _csv(
        tmp_path / "quote.csv",
        "missing,Good One,F,9,,",
        'missing,"Open quote,F,9,,',  # row 3: its quote is closed two lines further down
        "missing,Swallowed,F,10,,",
        'missing,Closer",F,12,,',
        "missing,Good Two,M,12,,",
        'missing,"Never closed,F,9,,',  # row 5: the quote runs to the end of the file
        "missing,Lost,F,9,,",
    )
    before = counts(home)
    r = muskan(home, "cases", "import", str(src))
    assert r.returncode == EXIT_ROWS_REJECTED, r.stderr
    assert "Traceback" not in r.stderr
    assert "row 3, name_latin: holds a line break: lines 3-5 of the file" in r.stderr
    assert 'row 5, name_latin: a quote (") opened here is never closed' in r.stderr
    assert "lines 7-8" in r.stderr
    assert counts(home)["Case"] == before["Case"] + 2
    assert not [n for n in names(home) if "\n" in n]  # no merged row went in
    assert {"Good One", "Good Two"} <= set(names(home))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ("is empty",)),
        (b"kind,sex\r\n", ("no cases",)),
        (b"kind,sex,kind\r\nmissing,F,missing\r\n", ("more than once",)),
        ("kind,name_latin\nmissing,Ñandú\n".encode("cp1252"), ("not a UTF-8 CSV file",)),
        (b'"kind,sex\r\nmissing,F\r\n', ("header row", "never closed")),
    ],
    ids=["empty", "no-rows", "column-twice", "not-utf8", "header-quote"],
)
def test_a_file_refused_whole_says_nothing_was_imported(home, tmp_path, content, words):
    src = tmp_path / "file.csv"
    src.write_bytes(content)
    before = counts(home)
    refused(muskan(home, "cases", "import", str(src)), EXIT_PROBLEM, *words, "Nothing was imported")
    assert counts(home) == before


@pytest.fixture
def ctx(home: Path) -> Iterator[Context]:
    c = open_context(home, create=False, actor="SI Test")
    yield c
    c.db.close()


def test_too_many_rows_or_bytes_refuse_the_file(ctx, tmp_path, monkeypatch):
    """The limits, made small here: 50,000 rows and 50 MB in the product."""
    src = _csv(tmp_path / "rows.csv", *[f"found,Child {i},M,{i % 17},," for i in range(12)])
    monkeypatch.setattr(csvfile, "MAX_ROWS", 10)
    with pytest.raises(MuskanError, match="more than 10 rows.*Nothing was imported"):
        import_csv(ctx, src)
    monkeypatch.setattr(csvfile, "MAX_ROWS", 50_000)
    monkeypatch.setattr(csvfile, "MAX_BYTES", 200)
    with pytest.raises(MuskanError, match="larger than 0 MB.*Nothing was imported"):
        import_csv(ctx, src)
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1


def test_an_endless_pipe_is_cut_off_at_the_limit(ctx, tmp_path, monkeypatch):
    """A pipe has no size to check first: what is read is counted as it comes."""
    monkeypatch.setattr(csvfile, "MAX_BYTES", 1_000_000)
    fifo = tmp_path / "endless.csv"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed() -> None:
        try:
            with fifo.open("w") as fh:
                fh.write(HEADER + "\n")
                while not stop.is_set():
                    fh.write(("found,Child,M,5,," + "c" * 100 + "\n") * 1000)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        with pytest.raises(MuskanError, match="larger than 1 MB.*Nothing was imported"):
            import_csv(ctx, fifo)
    finally:
        stop.set()
        writer.join(timeout=10)
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1


def test_limits_are_stated_in_help():
    r = subprocess.run([*MUSKAN, "cases", "import", "--help"], capture_output=True, text=True,
                       env=ENV, timeout=60)  # fmt: skip
    text = " ".join(r.stdout.split())
    assert "At most 50 MB and 50,000 rows" in text and "100,000 characters" in text
    assert "imports nothing" in text


# -- item 15: the command line's own checks -------------------------------------------------
@pytest.mark.parametrize("limit", ["-5", "0", "many"])
@pytest.mark.parametrize("command", [("cases", "list"), ("audit", "list")])
def test_a_limit_below_one_is_refused(home, command, limit):
    before = counts(home)
    r = muskan(home, *command, "--limit", limit)
    refused(r, EXIT_BAD_INPUT, "--limit", f"'{limit}' is not a whole number of at least 1")
    assert counts(home) == before


def test_a_risk_review_due_before_the_assessment_is_refused(home, case_id):
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    before = counts(home)
    r = muskan(home, "cases", "risk", case_id, "--level", "high", "--review-due", yesterday)
    refused(r, EXIT_BAD_INPUT, "review_due", f"{yesterday} is before the assessment")
    far = (TODAY + dt.timedelta(days=400)).isoformat()
    r = muskan(home, "cases", "risk", case_id, "--level", "low", "--review-due", far)
    refused(r, EXIT_BAD_INPUT, "review_due", "more than a year after the assessment")
    assert counts(home) == before
    r = muskan(home, "cases", "risk", case_id, "--level", "low", "--review-due", TODAY.isoformat())
    assert r.returncode == 0, r.stderr  # due on the day of the assessment is fine
    assert counts(home)["RiskAssessment"] == before["RiskAssessment"] + 1


BIDI = ["\u202e", "\u202a", "\u202d", "\u2066", "\u2067", "\u2069", "\u200f", "\u200e", "\u061c"]


@pytest.mark.parametrize("mark", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_direction_changing_characters_in_a_name_are_refused(home, mark):
    before = counts(home)
    r = muskan(home, "cases", "add", "--kind", "missing", "--name", f"Asha{mark}Kujur",
               "--sex", "F", "--age", "9")  # fmt: skip
    refused(r, EXIT_BAD_INPUT, "name_latin", "changes the direction of text", f"U+{ord(mark):04X}")
    assert counts(home) == before


def test_direction_changing_characters_are_refused_at_every_door(home, case_id, tmp_path):
    before = counts(home)
    rlo = "\u202e"
    r = muskan(home, "cases", "edit", case_id, "--set", f"guardian_name=Ram{rlo}esh")
    refused(r, EXIT_BAD_INPUT, "guardian_name", "direction")
    r = muskan(home, "cases", "log", case_id, f"called {rlo}the school")
    refused(r, EXIT_BAD_INPUT, "action", "direction")
    src = _csv(tmp_path / "bidi.csv", f"missing,Su{rlo}nita,F,9,,", "missing,Sunita,F,9,,")
    r = muskan(home, "cases", "import", str(src))
    assert r.returncode == EXIT_ROWS_REJECTED and "row 2, name_latin" in r.stderr, r.stderr
    after = counts(home)
    assert after["Case"] == before["Case"] + 1 and after["TracingEntry"] == before["TracingEntry"]
    with pytest.raises(ValidationError) as e:  # the rule itself, as the server applies it
        clean_case({"kind": "found", "sex": "F", "age_years": 5, "name_deva": f"सु{rlo}नीता"},
                   today=TODAY)  # fmt: skip
    assert e.value.errors[0].code == "bidi_control"


def test_devanagari_joiners_are_kept(home):
    """ZWNJ and ZWJ shape Devanagari conjuncts: a name written with them is a real name."""
    name = "क्\u200dष्मा रा\u200cनी"
    r = muskan(home, "cases", "add", "--kind", "missing", "--name", name, "--sex", "F",
               "--age", "9", "--json")  # fmt: skip
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('=HYPERLINK("http://x")', ("cannot start with '='", "formula")),
        ("@SUM(A1)", ("cannot start with '@'",)),
        ("Asha\nKujur", ("must be on one line",)),
        ("Asha\x07Kujur", ("control character", "U+0007")),
        ("A" * 201, ("too long", "201 characters; at most 200")),
    ],
    ids=["equals", "at", "newline", "bell", "overlong"],
)
def test_a_name_a_spreadsheet_or_terminal_would_misread_is_refused(home, value, words):
    before = counts(home)
    r = muskan(home, "cases", "add", "--kind", "missing", "--name", value, "--sex", "F",
               "--age", "9")  # fmt: skip
    refused(r, EXIT_BAD_INPUT, "name_latin", *words)
    assert counts(home) == before


def test_a_120000_character_tracing_entry_is_refused(home, case_id):
    before = counts(home)
    r = muskan(home, "cases", "log", case_id, "x" * 120_000)
    refused(r, EXIT_BAD_INPUT, "action", "is too long (120,000 characters; at most 4,000)")
    r = muskan(home, "cases", "risk", case_id, "--level", "high", "--note", "y" * 5000)
    refused(r, EXIT_BAD_INPUT, "note", "is too long (5,000 characters; at most 4,000)")
    r = muskan(home, "cases", "step", case_id, "trace", "located_state=Delhi",
               f"located_on={TODAY.isoformat()}", "located_place=" + "z" * 4001)  # fmt: skip
    refused(r, EXIT_BAD_INPUT, "located_place", "at most 4,000")
    assert counts(home) == before
    r = muskan(home, "cases", "log", case_id, "x" * 4000)
    assert r.returncode == 0, r.stderr
    assert counts(home)["TracingEntry"] == before["TracingEntry"] + 1


def test_core_services_refuse_the_same(ctx):
    """The window and the server call these: the rules are not the command line's own."""
    svc = CaseService(ctx)
    case_id = svc.create({"kind": "found", "sex": "M", "age_years": "6", "name_latin": "Raju"}).id
    with pytest.raises(ValidationError, match="at most 4,000"):
        svc.add_tracing_entry(case_id, "x" * 120_000)
    with pytest.raises(ValidationError, match="before the assessment"):
        svc.assess_risk(case_id, "high", review_due=ctx.today() - dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="direction"):
        svc.update(case_id, {"name_latin": "Ra\u2067ju"})
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(TracingEntry)) == 0
        assert s.scalar(select(func.count()).select_from(RiskAssessment)) == 0
        assert s.scalar(select(Case.name_latin).where(Case.id == case_id)) == "Raju"


def test_export_of_the_core_escapes_as_the_command_line_does(ctx, tmp_path):
    out = tmp_path / "core.csv"
    assert export_cases(ctx, out) == 1
    with out.open(encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["guardian_phone"] == "'+919876543210"
