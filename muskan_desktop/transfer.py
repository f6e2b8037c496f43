"""Moving cases in and out of the register: CSV import, CSV and Excel export.

Import checks every row with the same rules as the case form and reports every bad field of
every bad row by its spreadsheet row number; the good rows go in together, in one transaction,
so a file is never half-imported. Export streams rows from the database and writes beside the
target first, so a crash never leaves a half file under the real name.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
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


IMPORT_STOP = "Import cancelled; nothing was imported"
EXPORT_STOP = "Export cancelled; no file was written"


class Cancelled(MuskanError):
    def __init__(self, message: str = IMPORT_STOP) -> None:
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
Key = tuple[str | None, str | None]  # (station, district) as written in the row


def import_csv(
    ctx: Context,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ImportReport:
    """Check every row of a CSV file and add the good ones, all in one transaction.

    `progress(done, total)` counts work: each row once when checked and each good row once
    more when written. `cancel()` returning True stops it with nothing written (Cancelled).
    """
    path = Path(path)
    header_at, header, total = _survey(path)
    cols = _import_columns(header, path.name)
    svc = CaseService(ctx)
    report = ImportReport()
    good: list[tuple[int, dict[str, Any], Key]] = []
    bad: dict[int, Key] = {}
    for rowno, cells in _records(path):
        done = rowno - header_at
        if done > 0 and done % PROGRESS_EVERY == 0:
            _tick(done, 2 * total, progress, cancel)
        if done <= 0 or not any(c.strip() for c in cells):
            continue
        clean, key, errs = _check_row(svc, cols, rowno, cells)
        if errs:
            report.errors.extend(errs)
            bad[rowno] = key
        else:
            good.append((rowno, clean, key))
    work = total + len(good)
    _tick(total, work, progress, cancel)

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
            _tick(total + min(i + PROGRESS_EVERY, len(good)), work, progress, cancel)
        report.imported = len(report.ids)
        report.errors.sort(key=lambda e: e.row)
        audit.record(
            s, ctx, "import", None, None, file=path.name, imported=report.imported,
            rejected=report.rejected,
        )  # fmt: skip
    return report


def _check_row(
    svc: CaseService, cols: Sequence[str | None], rowno: int, cells: list[str]
) -> tuple[dict[str, Any], Key, list[RowError]]:
    if len(cells) < len(cols) or any(c.strip() for c in cells[len(cols) :]):
        return (
            {},
            (None, None),
            [RowError(rowno, "", f"has {len(cells)} cells, the header has {len(cols)}")],
        )
    raw: dict[str, str] = {}
    errs: list[RowError] = []
    for i, (col, cell) in enumerate(zip(cols, cells, strict=False), 1):
        if col == "" and cell.strip():
            errs.append(RowError(rowno, f"column {i}", "has a value but no column name"))
        elif col and cell.strip():
            raw[col] = cell
    place = (raw.pop("station", "").strip() or None, raw.pop("district", "").strip() or None)
    try:
        return svc.validate_new(raw), place, errs
    except ValidationError as exc:
        return {}, place, errs + _row_errors(rowno, exc.errors)


def _row_errors(rowno: int, errors: Iterable[FieldError]) -> list[RowError]:
    return [RowError(rowno, e.field, e.message) for e in errors]


def _tick(
    done: int, total: int, progress: Progress | None, cancel: Cancel | None, stop: str = IMPORT_STOP
) -> None:
    if cancel is not None and cancel():
        raise Cancelled(stop)
    if progress is not None:
        progress(done, total)


def _not_text(path: Path) -> MuskanError:
    return MuskanError(
        f'{path.name} is not a UTF-8 CSV file. In Excel use Save As, "CSV UTF-8 (Comma delimited)".'
    )


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The file's records, numbered as a spreadsheet numbers its rows (from 1)."""

    def lines(fh: Iterable[str]) -> Iterator[str]:
        for line in fh:
            if "\x00" in line:
                raise _not_text(path)
            yield line

    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(lines(fh))
            try:
                yield from enumerate(reader, 1)
            except csv.Error as exc:
                raise MuskanError(f"{path.name}, line {reader.line_num}: {exc}") from exc
    except UnicodeDecodeError:
        raise _not_text(path) from None
    except OSError as exc:
        raise MuskanError(f"Cannot read {path}: {exc.strerror or exc}") from exc


def _survey(path: Path) -> tuple[int, list[str], int]:
    """A first pass: the header's row number, the header, the number of rows after it."""
    header_at, header, total, data = 0, [], 0, False
    for rowno, cells in _records(path):
        blank = not any(c.strip() for c in cells)
        if header_at:
            total, data = total + 1, data or not blank
        elif not blank:
            header_at, header = rowno, cells
    if not header_at:
        raise MuskanError(f"{path.name} is empty: it needs a header row and a row per case.")
    if not data:
        raise MuskanError(f"{path.name} has a header row but no cases.")
    return header_at, header, total


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
            _tick(done, total, progress, cancel, EXPORT_STOP)
        yield list(row)
    _tick(total, total, progress, cancel, EXPORT_STOP)


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
    try:
        for row in rows:
            ws.append([cell(v) if isinstance(v, str) else v for v in row])
            n += 1
    except BaseException:
        with contextlib.suppress(Exception):
            wb.save(tmp)  # removes openpyxl's own temporary file of the rows so far
        raise
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
