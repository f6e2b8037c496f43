"""Moving cases in and out of the register: CSV import, CSV and Excel export.

Import checks every row with the same rules as the case form and reports every bad field of
every bad row by its spreadsheet row number; the good rows go in together, in one transaction,
so a file is never half-imported. Export streams rows from the database and writes beside the
target first, so a crash never leaves a half file under the real name.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from . import audit
from .cases import CaseService
from .context import Context
from .domain import INITIAL_STATUS, Kind
from .errors import FieldError, MuskanError, ValidationError
from .ids import new_id
from .models import Case, Station
from .search import SORTABLE, CaseFilter, SearchIndex
from .validation import FIELDS

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

PLACE_COLUMNS = ("station", "district")
LIFECYCLE_COLUMNS = (
    "located_state",
    "located_place",
    "located_on",
    "team_sent",
    "recovered_on",
    "restored_on",
    "restored_to",
    "closed_reason",
    "closed_on",
)
IGNORED_ON_IMPORT = ("id", "status", *LIFECYCLE_COLUMNS)  # written by export, not imported
EXPORT_COLUMNS = ("id", "status", *PLACE_COLUMNS, *FIELDS, *LIFECYCLE_COLUMNS)
REQUIRED_COLUMNS = ("kind", "sex")
SUFFIXES = (".csv", ".xlsx")
PROGRESS_EVERY = 500
INSERT_CHUNK = 2000

CSV_COLUMNS_DOC = f"""\
Importing cases from a CSV file

Save the sheet as "CSV UTF-8 (Comma delimited)". The first row names the columns (any order;
capitals, spaces and hyphens do not matter: "Name Latin" = name_latin). Each further row is one
child; blank cells are left empty and blank rows are skipped.

Required columns: kind, sex. Every row also needs a name (name_latin or name_deva) for a
missing child, and age_years or date_of_birth.

Columns: station, district, {", ".join(FIELDS)}.
Columns written by export and ignored on import: {", ".join(IGNORED_ON_IMPORT)}.
Any other column refuses the whole file.

Formats:
  kind        missing or found
  sex         M, F or X
  category    lost, runaway, kidnapped or trafficking (missing children)
  dates       YYYY-MM-DD, e.g. 2026-03-15 (not in the future, not before 1990)
  age_years   whole years; the child must be under 18 when missing or found
  phones      Indian numbers: a 10-digit mobile starting 6-9 (+91 optional) or a
              landline with its STD code
  last_seen_time  HH:MM, 24-hour
  FIR/GD numbers  text, kept as written ("0045/2026" keeps its zero)
  station     the station's name or code (empty: this register's own station);
              district narrows a station name, or alone picks that district's station
  reported_on empty means today

Rows with mistakes are not imported; the report lists each by row number and column.
"""


class Cancelled(MuskanError):
    def __init__(self, message: str = "Import cancelled; nothing was imported") -> None:
        super().__init__(message)


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet shows it: the header is row 1
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
        """How many rows were left out."""
        return len({e.row for e in self.errors})

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]

    def save(self, path: str | os.PathLike[str]) -> None:
        """The error report as a CSV (row, field, message) the officer can keep or print."""

        def write(tmp: Path) -> None:
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(["row", "field", "message"])
                w.writerows([e.row, e.field, e.message] for e in self.errors)

        target = Path(path)
        _replace_with(target, _written_beside(target, write))


# -- import ---------------------------------------------------------------------------------
def import_csv(
    ctx: Context,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ImportReport:
    """Check every row of a CSV file and add the good ones in one transaction."""
    path = Path(path)
    header, records = _read_records(path)
    cols = _import_columns(header, path.name)
    svc = CaseService(ctx)
    report = ImportReport()
    good: list[tuple[int, dict[str, Any], tuple[str | None, str | None]]] = []
    bad: dict[int, tuple[str | None, str | None]] = {}
    total = len(records)
    for done, (rowno, cells) in enumerate(records, 1):
        if done % PROGRESS_EVERY == 0:
            _tick(done, total, progress, cancel)
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(cols) or any(c.strip() for c in cells[len(cols) :]):
            msg = f"has {len(cells)} cells, the header has {len(cols)}"
            report.errors.append(RowError(rowno, "", msg))
            continue
        raw: dict[str, str] = {}
        place: dict[str, str] = {}
        errs: list[RowError] = []
        for i, (col, cell) in enumerate(zip(cols, cells, strict=False), 1):
            if not cell.strip() or col is None:
                continue
            if col == "":
                errs.append(RowError(rowno, f"column {i}", "has a value but no column name"))
            elif col in PLACE_COLUMNS:
                place[col] = cell.strip()
            else:
                raw[col] = cell
        key = (place.get("station"), place.get("district"))
        try:
            clean = svc.validate_new(raw)
        except ValidationError as exc:
            errs.extend(RowError(rowno, e.field, e.message) for e in exc.errors)
        if errs:
            report.errors.extend(errs)
            bad[rowno] = key
        else:
            good.append((rowno, clean, key))
    _tick(total, total, progress, cancel)

    with ctx.db.write() as s:
        stations: dict[tuple[str | None, str | None], Station | list[FieldError]] = {}

        def station(key: tuple[str | None, str | None]) -> Station | list[FieldError]:
            if key not in stations:
                try:
                    stations[key] = svc.resolve_station(s, *key)
                except ValidationError as exc:
                    stations[key] = exc.errors
            return stations[key]

        for rowno, key in bad.items():  # a bad row's station is reported with its other faults
            st = station(key) if any(key) else None
            if isinstance(st, list):
                report.errors.extend(RowError(rowno, e.field, e.message) for e in st)
        now = ctx.clock()
        rows = []
        for rowno, clean, key in good:
            st = station(key)
            if isinstance(st, list):
                report.errors.extend(RowError(rowno, e.field, e.message) for e in st)
            else:
                rows.append(_case_row(ctx, clean, st, now))
        for i in range(0, len(rows), INSERT_CHUNK):
            _tick(i, total, None, cancel)  # cancelling here rolls the whole file back
            svc.bulk_insert(s, rows[i : i + INSERT_CHUNK])
        report.errors.sort(key=lambda e: e.row)
        audit.record(
            s,
            ctx,
            "import",
            None,
            None,
            file=path.name,
            imported=len(rows),
            rejected=report.rejected,
        )
    report.imported = len(rows)
    report.ids = [r["id"] for r in rows]
    return report


def _tick(done: int, total: int, progress: Progress | None, cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()
    if progress is not None:
        progress(done, total)


def _read_records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the numbered data rows (a spreadsheet's row numbers, header = 1)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MuskanError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:
        raise MuskanError(
            f"{path.name} is not a UTF-8 CSV file. In Excel use Save As, "
            '"CSV UTF-8 (Comma delimited)".'
        )
    if not text.strip():
        raise MuskanError(f"{path.name} is empty: it needs a header row and a row per case.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = [(n, cells) for n, cells in enumerate(reader, 1)]
    except csv.Error as exc:
        raise MuskanError(f"{path.name}, line {reader.line_num}: not readable CSV: {exc}") from exc
    while records and not any(c.strip() for c in records[0][1]):
        records.pop(0)  # blank lines above the header
    if not records:
        raise MuskanError(f"{path.name} is empty: it needs a header row and a row per case.")
    header = records.pop(0)[1]
    if not any(c.strip() for _, cells in records for c in cells):
        raise MuskanError(f"{path.name} has a header row but no cases.")
    return header, records


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def _import_columns(header: Sequence[str], file: str) -> list[str | None]:
    """Each column's field name; None for a column that is ignored, "" for an unnamed one."""
    cols = [_normalise(h) for h in header]
    known = [*PLACE_COLUMNS, *FIELDS]
    unknown = [
        h for h, c in zip(header, cols, strict=True) if c and c not in known + [*IGNORED_ON_IMPORT]
    ]
    if unknown:
        parts = []
        for h in unknown:
            near = difflib.get_close_matches(_normalise(h), known, n=1)
            parts.append(f"'{h}'" + (f" (did you mean {near[0]}?)" if near else ""))
        raise MuskanError(
            f"{file} has columns Muskan does not know: {', '.join(parts)}. Rename or remove "
            "them; nothing was imported."
        )
    twice = sorted({c for c in cols if c and cols.count(c) > 1})
    if twice:
        raise MuskanError(f"{file} has these columns more than once: {', '.join(twice)}.")
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise MuskanError(
            f"{file} has no {' or '.join(missing)} column; every case needs one. "
            "Nothing was imported."
        )
    return [None if c in IGNORED_ON_IMPORT else c for c in cols]


def _case_row(ctx: Context, clean: dict[str, Any], st: Station, now: dt.datetime) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(FIELDS)
    row.update(clean)
    row.update(
        id=new_id(),
        status=INITIAL_STATUS[Kind(clean["kind"])].value,
        station_id=st.id,
        district=st.district_en,
        created_at=now,
        created_by=ctx.actor,
        updated_at=now,
        updated_by=ctx.actor,
        version=1,
        age_is_estimate=clean.get("date_of_birth") is None,
    )
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
    """Write the cases (all, or those `filter` selects) to .csv or .xlsx; the number written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise MuskanError(
            f"Cannot export to '{path.name}': the file name must end in {' or '.join(SUFFIXES)}."
        )
    count = 0

    def write(tmp: Path) -> None:
        nonlocal count
        with ctx.db.read() as s:
            rows = _export_rows(ctx, s, filter, progress, cancel)
            count = (_write_csv if suffix == ".csv" else _write_xlsx)(tmp, rows)

    tmp = _written_beside(path, write)
    try:
        with ctx.db.write() as s:  # recorded before the file appears under its name
            audit.record(s, ctx, "export", None, None, file=path.name, rows=count, format=suffix)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _replace_with(path, tmp)
    return count


def _export_rows(
    ctx: Context,
    s: Any,
    f: CaseFilter | None,
    progress: Progress | None,
    cancel: Cancel | None,
) -> Iterator[list[Any]]:
    cols = [Station.code if c == "station" else getattr(Case, c) for c in EXPORT_COLUMNS]
    q = select(*cols).join(Station, Case.station_id == Station.id)
    order = [Case.reported_on, Case.id]
    if f is not None:
        q = q.where(Case.id.in_(SearchIndex.for_db(ctx.db).query(s, f).with_only_columns(Case.id)))
        col = SORTABLE.get(f.order_by, Case.reported_on)
        order = [col.desc() if f.descending else col.asc(), Case.id]
    total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
    for done, row in enumerate(s.execute(q.order_by(*order).execution_options(yield_per=2000))):
        if done % PROGRESS_EVERY == 0:
            _tick(done, total, progress, cancel)
        yield list(row)
    if cancel is not None and cancel():
        raise Cancelled("Export cancelled; no file was written")
    if progress is not None:
        progress(total, total)


def _text(v: Any) -> str:
    if v is None:
        return ""
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def _write_csv(tmp: Path, rows: Iterator[list[Any]]) -> int:
    n = 0
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM: Excel reads UTF-8
        w = csv.writer(fh)
        w.writerow(EXPORT_COLUMNS)
        for row in rows:
            w.writerow([_text(v) for v in row])
            n += 1
    return n


def _write_xlsx(tmp: Path, rows: Iterator[list[Any]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Cases")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(v: Any, **style: Any) -> Any:
        c = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
        if isinstance(v, str):
            c.data_type = "s"  # text stays text: "=…" is no formula, "0045/2026" keeps its zero
        for k, val in style.items():
            setattr(c, k, val)
        return c

    ws.append([cell(c, font=bold) for c in EXPORT_COLUMNS])
    n = 0
    for row in rows:
        ws.append([cell(v) if isinstance(v, str) else v for v in row])
        n += 1
    wb.save(tmp)
    return n


def _written_beside(target: Path, write: Callable[[Path], None]) -> Path:
    """Run `write` on a temporary file in the target's folder, synced to disk; its path."""
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        os.close(fd)
    except OSError as exc:
        raise MuskanError(f"Cannot write in {target.parent}: {exc.strerror or exc}") from exc
    tmp = Path(name)
    try:
        write(tmp)
        with tmp.open("r+b") as fh:
            os.fsync(fh.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise MuskanError(f"Cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _replace_with(target: Path, tmp: Path) -> None:
    try:
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise MuskanError(
            f"Cannot write {target}: {exc.strerror or exc}. If it is open in another program "
            "(Excel), close it and try again."
        ) from exc
