"""Moving cases in and out of the register: CSV import, CSV and Excel export.

Import checks every row with the rules of the case form and reports every bad field of every
bad row by its spreadsheet row number; the good rows go in together, in one transaction, so a
file is never half-imported. A file refused as a whole says that nothing was imported. The file
is read in bounded memory (csvfile): a row with a cell far too long, or with a quote that is
never closed, is reported and left out, and the rest goes in. Export streams rows from the
database into a file beside the target and renames it at the end, so a crash never leaves a
half file under the real name; CSV cells that a spreadsheet would run as a formula are escaped.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import os
import re
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import audit
from .cases import CaseService
from .context import Context
from .csvfile import (
    MAX_BYTES,
    MAX_ROW_CHARS,
    MAX_ROWS,
    Record,
    escape_cell,
    read_records,
    refused,
    unescape_cell,
)
from .domain import INITIAL_STATUS, Kind
from .errors import FieldError, MuskanError, ValidationError
from .ids import new_id
from .models import Case, Station
from .roles import Action, require
from .search import SORTABLE, CaseFilter, SearchIndex
from .validation import FIELDS, shown

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
Key = tuple[str | None, str | None]  # (station, district) as a row gives them

PLACE_COLUMNS = ("station", "district")
_TRACED = ("located_state", "located_place", "located_on", "team_sent", "recovered_on")
LIFECYCLE_COLUMNS = (*_TRACED, "restored_on", "restored_to", "closed_reason", "closed_on")
IGNORED_ON_IMPORT = ("id", "status", *LIFECYCLE_COLUMNS)  # written by export, not imported
EXPORT_COLUMNS = ("id", "status", *PLACE_COLUMNS, *FIELDS, *LIFECYCLE_COLUMNS)
REQUIRED_COLUMNS = ("kind", "sex")
SUFFIXES = (".csv", ".xlsx")
PROGRESS_EVERY = 500
# pick-list values in any case: "Missing", "f", "Runaway" are fine
_CHOICES = {
    n: {str(c).casefold(): str(c) for c in f.choices} for n, f in FIELDS.items() if f.choices
}
IMPORT_STOP = "Import cancelled; nothing was imported"
EXPORT_STOP = "Export cancelled; no file was written"

CSV_COLUMNS_DOC = f"""\
Importing cases from a CSV file

Save the sheet as "CSV UTF-8 (Comma delimited)". Row 1 names the columns, in any order
(capitals, spaces and hyphens do not matter: "Name Latin" = name_latin); each further row is
one child. Blank cells stay empty; blank rows are skipped.

Required: the columns kind and sex; in every row a name (name_latin or name_deva) for a
missing child, and age_years or date_of_birth.
{textwrap.fill("Columns: station, district, " + ", ".join(FIELDS) + ".", 92)}
{textwrap.fill("Ignored (written by export): " + ", ".join(IGNORED_ON_IMPORT) + ".", 92)}
Any other column refuses the whole file.

  kind            missing or found (capitals do not matter here, in sex and category)
  sex             M, F or X
  category        lost, runaway, kidnapped or trafficking
  dates           YYYY-MM-DD, e.g. 2026-03-15; not in the future, not before 1990;
                  reported_on empty means today
  age_years       whole years; a child is under 18 when missing or found
  phones          Indian: a 10-digit mobile starting 6-9 (+91 optional), or a landline
                  with its STD code
  last_seen_time  HH:MM, 24-hour
  FIR/GD numbers  text, kept as written ("0045/2026" keeps its zero)
  station         name or code (empty: this register's own station); district narrows a
                  station name, or alone picks that district's station

Rows with mistakes are not imported; the report lists each one by row number and column.
A quote (") that is never closed, or a cell that holds a line break where the column takes one
line, leaves that row out and names the file's lines that were read as one row.
Limits: at most {MAX_BYTES // 1_000_000} MB and {MAX_ROWS:,} rows in one file (split a bigger
one); a row of more than {MAX_ROW_CHARS:,} characters is left out. A file that is not UTF-8
text (a spreadsheet, a binary file) is refused whole; nothing is imported then.
Export writes an apostrophe before a cell starting with =, +, -, @ (a phone +91…, too) so a
spreadsheet never runs it as a formula; import takes that apostrophe off again.
Excel may rewrite dates and long numbers (phones) when it saves a CSV: format those columns
as Text before typing, or check them after saving.
"""


class Cancelled(MuskanError):
    def __init__(self, message: str = IMPORT_STOP) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    field: str  # "" when the row as a whole is wrong
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, {self.field}" if self.field else f"row {self.row}"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    imported: int = 0
    ids: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]

    def save(self, path: str | os.PathLike[str]) -> None:
        """The errors as a CSV (row, field, message) the officer can keep and correct from."""
        with _atomic(Path(path)) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["row", "field", "message"])
            w.writerows([e.row, e.field, escape_cell(e.message)] for e in self.errors)


# -- import ---------------------------------------------------------------------------------
def import_csv(
    ctx: Context,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ImportReport:
    """Check every row of a CSV file and add the good ones, all in one transaction.

    `progress(done, total)` counts work: each row once when checked, each good row once more
    when written. `cancel()` returning True stops with nothing written (raises Cancelled).
    """
    require(ctx.role, Action.CREATE)
    path = Path(path)
    header_at, header, total = _survey(path)
    cols = _import_columns(header, path.name)
    svc = CaseService(ctx)
    report = ImportReport()
    good: list[tuple[int, dict[str, Any], Key]] = []
    bad: dict[int, Key] = {}
    for rec in read_records(path):
        rowno, done = rec.row, rec.row - header_at
        if done > 0 and done % PROGRESS_EVERY == 0:
            _tick(done, 2 * total, progress, cancel, IMPORT_STOP)
        if done <= 0 or not (rec.unclosed or rec.overlong or any(c.strip() for c in rec.cells)):
            continue
        clean, key, errs = _check_row(svc, cols, rec)
        if errs:
            report.errors.extend(errs)
            bad[rowno] = key
        else:
            good.append((rowno, clean, key))
    work = total + len(good)
    _tick(total, work, progress, cancel, IMPORT_STOP)

    with ctx.db.write() as s:  # one transaction: a crash or a cancel leaves nothing behind
        stations: dict[Key, Station | list[FieldError]] = {}

        def station(key: Key) -> Station | list[FieldError]:
            if key not in stations:
                try:
                    stations[key] = svc.resolve_station(s, *key)
                except ValidationError as exc:
                    stations[key] = exc.errors
            return stations[key]

        for rowno, key in bad.items():  # a bad row's station is reported with its other faults
            if any(key) and isinstance(st := station(key), list):
                report.errors.extend(_row_errors(rowno, st))
        now = ctx.clock()
        for i in range(0, len(good), PROGRESS_EVERY):
            chunk = []
            for rowno, clean, key in good[i : i + PROGRESS_EVERY]:
                if isinstance(st := station(key), list):
                    report.errors.extend(_row_errors(rowno, st))
                else:
                    chunk.append(_case_row(ctx, clean, st, now))
            svc.bulk_insert(s, chunk)
            report.ids.extend(r["id"] for r in chunk)
            _tick(total + min(i + PROGRESS_EVERY, len(good)), work, progress, cancel, IMPORT_STOP)
        report.imported = len(report.ids)
        report.errors.sort(key=lambda e: e.row)
        details = {"file": path.name, "imported": report.imported, "rejected": report.rejected}
        audit.record(s, ctx, "import", None, None, **details)
    if report.imported >= 1000:
        ctx.db.analyze()
    return report


def _check_row(
    svc: CaseService, cols: Sequence[str | None], rec: Record
) -> tuple[dict[str, Any], Key, list[RowError]]:
    rowno, cells = rec.row, [unescape_cell(c) for c in rec.cells]
    if problem := _unreadable(cols, rec):
        return {}, (None, None), [problem]
    if len(cells) < len(cols) or any(c.strip() for c in cells[len(cols) :]):
        msg = f"has {len(cells)} cells, the header has {len(cols)}"
        if rec.first_line != rec.last_line:
            msg += f" ({rec.lines} of the file were read as this one row: is a quote not closed?)"
        return {}, (None, None), [RowError(rowno, "", msg)]
    raw: dict[str, str] = {}
    errs: list[RowError] = []
    for i, (col, cell) in enumerate(zip(cols, cells, strict=False), 1):
        if col == "" and cell.strip():
            errs.append(RowError(rowno, f"column {i}", "has a value but no column name"))
        elif col and cell.strip():
            choices = _CHOICES.get(col)
            raw[col] = choices.get(cell.strip().casefold(), cell) if choices else cell
    place = (raw.pop("station", "").strip() or None, raw.pop("district", "").strip() or None)
    try:
        return svc.validate_new(raw), place, errs
    except ValidationError as exc:
        return {}, place, errs + _row_errors(rowno, exc.errors)


def _column(cols: Sequence[str | None], i: int) -> str:
    return (cols[i] if i < len(cols) else "") or f"column {i + 1}"


def _unreadable(cols: Sequence[str | None], rec: Record) -> RowError | None:
    """A row that cannot be taken as it stands: a quote never closed, a cell far too long, or a
    line break where the column holds one line (a quote closed rows later: rows merged)."""
    if rec.unclosed:
        return RowError(
            rec.row,
            _column(cols, len(rec.cells) - 1),
            f'a quote (") opened here is never closed, so {rec.lines} of the file (to its end) '
            "were read as one cell; close the quote and import the rows from here again",
        )
    if rec.overlong:
        return RowError(
            rec.row,
            _column(cols, len(rec.cells) - 1),
            f"is far too long (the row has more than {MAX_ROW_CHARS:,} characters); "
            "this row was not imported",
        )
    for i, cell in enumerate(rec.cells[: len(cols)]):
        spec = FIELDS.get(cols[i] or "")
        if ("\n" in cell or "\r" in cell) and not (spec and spec.lines):
            return RowError(
                rec.row,
                _column(cols, i),
                f"holds a line break: {rec.lines} of the file were read as this one row, "
                'probably because a quote (") is not closed; this row was not imported',
            )
    return None


def _row_errors(rowno: int, errors: Iterable[FieldError]) -> list[RowError]:
    return [RowError(rowno, e.field, e.message) for e in errors]


def _tick(done: int, of: int, progress: Progress | None, cancel: Cancel | None, stop: str) -> None:
    if cancel is not None and cancel():
        raise Cancelled(stop)
    if progress is not None:
        progress(done, of)


def _survey(path: Path) -> tuple[int, list[str], int]:
    """A first pass: the header's row number, the header, and how many rows follow it."""
    header_at, header, total, data = 0, [], 0, False
    for rec in read_records(path):
        blank = not (rec.unclosed or rec.overlong or any(c.strip() for c in rec.cells))
        if header_at:
            total, data = total + 1, data or not blank
        elif rec.unclosed or rec.overlong:
            raise refused(
                f"{path.name}: the header row ({rec.lines}) cannot be read: "
                + ("a quote in it is never closed." if rec.unclosed else "it is far too long.")
            )
        elif not blank:
            header_at, header = rec.row, rec.cells
    if not header_at:
        raise refused(f"{path.name} is empty: it needs a header row and a row per case.")
    if not data:
        raise refused(f"{path.name} has a header row but no cases.")
    return header_at, header, total


def _import_columns(header: Sequence[str], file: str) -> list[str | None]:
    """Each column's field name: None for an ignored column, "" for an unnamed one."""
    cols = [re.sub(r"[\s\-]+", "_", h.strip().casefold()) for h in header]
    known = [*PLACE_COLUMNS, *FIELDS]
    unknown = [(h, c) for h, c in zip(header, cols, strict=True) if c and c not in known]
    unknown = [(h, c) for h, c in unknown if c not in IGNORED_ON_IMPORT]
    if unknown:
        names = []
        for h, c in unknown:
            near = difflib.get_close_matches(c, known, n=1)
            names.append(f"'{shown(h)}'" + (f" (did you mean {near[0]}?)" if near else ""))
        raise MuskanError(
            f"{file} has columns Muskan does not know: {', '.join(names)}. Rename or remove "
            "them; nothing was imported."
        )
    twice = sorted({c for c in cols if c and cols.count(c) > 1})
    if twice:
        raise refused(f"{file} has these columns more than once: {', '.join(twice)}.")
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise MuskanError(
            f"{file} has no {' or '.join(missing)} column; every case needs one. "
            "Nothing was imported."
        )
    return [None if c in IGNORED_ON_IMPORT else c for c in cols]


def _case_row(ctx: Context, clean: dict[str, Any], st: Station, now: dt.datetime) -> dict[str, Any]:
    row: dict[str, Any] = {**dict.fromkeys(FIELDS), **clean}  # same keys: one executemany
    row.update(id=new_id(), status=INITIAL_STATUS[Kind(clean["kind"])].value, version=1)
    row.update(station_id=st.id, district=st.district_en, created_at=now, updated_at=now)
    row.update(created_by=ctx.actor, updated_by=ctx.actor)
    row["age_is_estimate"] = clean.get("date_of_birth") is None
    return row


# -- export ---------------------------------------------------------------------------------
def export_cases(
    ctx: Context,
    path: str | os.PathLike[str],
    filter: CaseFilter | None = None,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    """Write the cases `filter` selects (None: all; its limit is ignored) to .csv or .xlsx.

    Returns how many; the export is audited before the file appears under its name."""
    require(ctx.role, Action.EXPORT)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise MuskanError(
            f"Cannot export to '{path.name}': the file name must end in {' or '.join(SUFFIXES)}."
        )
    with _atomic(path) as tmp:
        with ctx.db.read() as s:
            rows = _export_rows(ctx, s, filter, progress, cancel)
            count = (_write_csv if suffix == ".csv" else _write_xlsx)(tmp, rows)
        with ctx.db.write() as s:
            audit.record(s, ctx, "export", None, None, file=path.name, rows=count, format=suffix)
    return count


def _export_rows(
    ctx: Context, s: Session, f: CaseFilter | None, progress: Progress | None, cancel: Cancel | None
) -> Iterator[list[Any]]:
    """Rows in EXPORT_COLUMNS order, streamed: 100,000 cases never sit in memory at once."""
    cols = [Station.code if c == "station" else getattr(Case, c) for c in EXPORT_COLUMNS]
    q = select(*cols).join(Station, Case.station_id == Station.id)
    order: list[Any] = [Case.reported_on, Case.id]
    if f is not None:
        q = q.where(Case.id.in_(SearchIndex.for_db(ctx.db).query(s, f).with_only_columns(Case.id)))
        col = SORTABLE.get(f.order_by, Case.reported_on)
        order = [col.desc() if f.descending else col.asc(), Case.id]
    total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
    for done, row in enumerate(s.execute(q.order_by(*order).execution_options(yield_per=2000))):
        if done % PROGRESS_EVERY == 0:
            _tick(done, total, progress, cancel, EXPORT_STOP)
        yield list(row)
    _tick(total, total, progress, cancel, EXPORT_STOP)


def _write_csv(tmp: Path, rows: Iterator[list[Any]]) -> int:
    n = 0
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM: Excel reads UTF-8
        w = csv.writer(fh)
        w.writerow(EXPORT_COLUMNS)
        for row in rows:
            w.writerow([_csv_cell(v) for v in row])
            n += 1
    return n


def _csv_cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return escape_cell(v) if isinstance(v, str) else v  # "=…", "+91…" are not run by Excel


def _write_xlsx(tmp: Path, rows: Iterator[list[Any]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Cases")
    ws.freeze_panes = "A2"

    def text(v: str, force: bool = False) -> Any:
        if ILLEGAL_CHARACTERS_RE.search(v):
            v = ILLEGAL_CHARACTERS_RE.sub("", v)
        if not force and v[:1] not in ("=", "#"):
            return v  # a str is a text cell: "0045/2026" and "+9198…" stay as written
        c = WriteOnlyCell(ws, value=v)
        c.data_type = "s"  # "=…" is not a formula, "#N/A" not an error
        return c

    header = [text(c, force=True) for c in EXPORT_COLUMNS]
    for c in header:
        c.font = Font(bold=True)
    ws.append(header)
    n = 0
    try:
        for row in rows:
            ws.append([text(v) if isinstance(v, str) else v for v in row])
            n += 1
    except BaseException:
        with contextlib.suppress(Exception):
            wb.save(tmp)  # closes and removes openpyxl's own temporary file of the rows
        raise
    wb.save(tmp)
    return n


@contextlib.contextmanager
def _atomic(target: Path) -> Iterator[Path]:
    """A temporary file beside `target`, flushed to disk and renamed to it if the block succeeds."""
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        os.close(fd)
        tmp = Path(name)
    except OSError as exc:
        raise MuskanError(f"Cannot write in {target.parent}: {exc.strerror or exc}") from exc
    try:
        yield tmp
        with tmp.open("r+b") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise MuskanError(
            f"Cannot write {target}: {exc.strerror or exc}. If it is open in another program "
            "(Excel), close it and try again."
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
