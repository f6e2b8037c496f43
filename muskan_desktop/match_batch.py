"""Batch intake of a folder of photos (a child care home's residents, a rescue operation).

The folder holds the photos and a manifest, `manifest.csv` (UTF-8, header row), one row per
photo: the `file` (relative to the folder) and either

- `case_id`: the photo is of an existing case (e.g. after `muskan cases import`), or
- the case's fields, with the same column names as `muskan cases import` (kind, sex,
  name_latin or name_deva, age_years, found_on, cci_name, languages, station, district ...):
  a new case is created for the photo. `kind` may come from `--kind` instead.

Optional columns: `face` (which face, counted from the left, in a photo of several people)
and `taken_on`. A photo's rows are checked first; bad rows are reported by row number and
field and skipped, the good ones go in.

Decoding, detection and encoding (the slow part) run in a pool of worker processes, one per
CPU core by default, started before the manifest is checked so they load dlib meanwhile. A
worker decodes each file once: the detector's smaller copy also gives the thumbnail. The
workers never touch the data folder (nor hold its keys): they hand back the file's bytes
and the thumbnail-sized picture, and this process stores them (encrypted, atomic, fsynced)
on a few I/O threads, so the workers' cores never wait for the disk. The database writes
stay on this thread, one transaction per photo (case, photo, descriptor, alerts, audit),
each after its files are durable: an import killed half-way keeps every photo it finished
and, run again, skips them: photos are known by their SHA-256.
"""

from __future__ import annotations

import csv
import hashlib
import multiprocessing
import os
import queue
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select

from .cases import CaseService
from .context import Context
from .errors import MuskanError, StorageError, ValidationError
from .faces import DEFAULT_SETTINGS, FaceSettings
from .match_worker import Encoded, encode_one, init_worker
from .matching import MatchService, loaded_meta
from .models import Case, FaceEmbedding, Photo
from .paths import DB_FILENAME
from .transfer import RowError
from .validation import FIELDS, parse_date

MANIFEST = "manifest.csv"
PHOTO_COLUMNS = ("file", "case_id", "face", "taken_on")
PLACE_COLUMNS = ("station", "district")
_CHOICES = {
    n: {str(c).casefold(): str(c) for c in f.choices} for n, f in FIELDS.items() if f.choices
}
Progress = Callable[[int, int], None]
IO_THREADS = 4  # photo files written (and fsynced) at once: the disk's queue, not the CPUs


@dataclass
class Task:
    row: int
    path: Path
    sha256: str
    case_id: str | None
    new_case: dict[str, Any] | None
    face: int | None
    taken_on: Any


@dataclass
class FolderReport:
    imported: int = 0
    skipped: int = 0  # already in the register (an earlier run), or listed twice
    case_ids: list[str] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "skipped": self.skipped,
            "case_ids": self.case_ids,
            "alerts": self.alerts,
            "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in self.errors],
        }


def import_folder(
    ctx: Context,
    folder: str | os.PathLike[str],
    *,
    manifest: str | os.PathLike[str] | None = None,
    kind: str | None = None,
    station: str | None = None,
    district: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    settings: FaceSettings = DEFAULT_SETTINGS,
) -> FolderReport:
    """Add every photo the manifest lists; see the module's docstring."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MuskanError(f"{folder} is not a folder.")
    sheet = Path(manifest) if manifest else folder / MANIFEST
    if not sheet.is_file():
        raise MuskanError(
            f"{sheet} not found. The folder needs a manifest.csv with a row per photo: "
            "columns file and case_id (photos of existing cases), or file and the new case's "
            "fields (kind, sex, name_latin, age_years, found_on, cci_name ...)."
        )
    report = FolderReport()
    rows = list(_read_manifest(sheet))
    if not rows:
        raise MuskanError(f"{sheet.name} lists no photos.")
    # the workers load dlib while the rows are checked and the files hashed (the command line
    # starts them even before it opens the register: `prestart_workers`)
    encoder = _prestarted.pop(_key(ctx.home, workers, settings), None)
    with encoder or _Encoder(ctx.home, workers, settings, len(rows)) as encoder:
        tasks = _check_rows(ctx, folder, sheet.name, rows, kind, station, district, report)
        todo = _not_yet_imported(ctx, tasks, report)
        _record_all(ctx, todo, encoder.run(todo), report, progress)
    report.errors.sort(key=lambda e: e.row)
    return report


def _record_all(
    ctx: Context,
    todo: list[Task],
    results: Iterator[tuple[int, Encoded | str]],
    report: FolderReport,
    progress: Progress | None,
) -> None:
    """Store each encoded photo's files as it comes back (I/O threads), then write its rows
    (this thread): one transaction per photo, never before its files are on disk."""
    total = len(todo)
    if progress:
        progress(0, total)
    svc = MatchService(ctx)
    by_row = {t.row: t for t in todo}
    stored: queue.SimpleQueue[tuple[int, Encoded, BaseException | None]] = queue.SimpleQueue()

    def store(row: int, outcome: Encoded) -> None:
        try:
            svc.store.put(outcome[0])
        except BaseException as exc:  # handed to the writing thread, which raises it
            stored.put((row, outcome, exc))
        else:
            stored.put((row, outcome, None))

    done = 0

    def record(row: int, outcome: Encoded, failed: BaseException | None) -> None:
        nonlocal done
        if failed is not None:
            raise failed  # disk full, folder not writable: stop, keep what is in
        task = by_row[row]
        loaded, enc = outcome
        try:
            res = svc.record_encoded(
                task.case_id or "",
                loaded_meta(loaded),
                enc,
                _day(svc, task.taken_on),
                new_case=task.new_case,
            )
        except ValidationError as exc:
            report.errors += [RowError(row, e.field, e.message) for e in exc.errors]
        except StorageError:
            raise  # the register cannot be written (disk full, locked): stop, keep what is in
        except MuskanError as exc:
            report.errors.append(RowError(row, "", exc.message))
        else:
            report.imported += 1
            report.case_ids.append(res.case_id)
            report.alerts += res.alerts
        done += 1
        if progress:
            progress(done, total)

    with ThreadPoolExecutor(IO_THREADS, thread_name_prefix="muskan-photo-io") as io:
        writing = 0
        for row, outcome in results:
            if isinstance(outcome, str):
                report.errors.append(RowError(row, "file", outcome))
                done += 1
                if progress:
                    progress(done, total)
            else:
                io.submit(store, row, outcome)
                writing += 1
            while writing:  # rows for every photo whose files are written by now
                try:
                    item = stored.get_nowait()
                except queue.Empty:
                    break
                writing -= 1
                record(*item)
        while writing:
            writing -= 1
            record(*stored.get())


def _day(svc: MatchService, value: Any) -> Any:
    return svc.photos._taken_on(value)


def _check_rows(
    ctx: Context,
    folder: Path,
    sheet: str,
    rows: list[tuple[int, dict[str, str]]],
    kind: str | None,
    station: str | None,
    district: str | None,
    report: FolderReport,
) -> list[Task]:
    known = {*PHOTO_COLUMNS, *PLACE_COLUMNS, *FIELDS}
    unknown = sorted({c for _, r in rows for c in r if c not in known})
    if unknown:
        raise MuskanError(
            f"{sheet} has columns Muskan does not know: {', '.join(unknown)}. Columns are "
            "file, case_id, face, taken_on, station, district and the case fields of "
            "`muskan cases import`; nothing was imported."
        )
    if not any("file" in r for _, r in rows):
        raise MuskanError(f"{sheet} has no file column: name each photo's file in it.")
    svc = CaseService(ctx)
    inside = folder.resolve()
    tasks = []
    for rowno, raw in rows:
        errs: list[RowError] = []
        file = raw.pop("file", "").strip()
        path = (folder / file) if file else None
        if path is None:
            errs.append(RowError(rowno, "file", "no photo file named"))
        elif not path.resolve().is_relative_to(inside):
            errs.append(RowError(rowno, "file", f"{file} is outside {folder}"))
        elif not path.is_file():
            errs.append(RowError(rowno, "file", f"{file} is not in {folder}"))
        face = None
        if f := raw.pop("face", "").strip():
            if f.isdigit() and int(f) >= 1:
                face = int(f)
            else:
                errs.append(RowError(rowno, "face", f"'{f}' is not a face number (1, 2, ...)"))
        taken_on = raw.pop("taken_on", "").strip() or None
        if taken_on:
            try:
                parse_date(taken_on)
            except ValueError as exc:
                errs.append(RowError(rowno, "taken_on", str(exc)))
        case_id = raw.pop("case_id", "").strip() or None
        new_case = None
        if case_id:
            with ctx.db.read() as s:
                if s.get(Case, case_id) is None:
                    errs.append(RowError(rowno, "case_id", f"no case {case_id} in this register"))
        else:
            fields = {k: v for k, v in raw.items() if v.strip()}
            fields.setdefault("kind", kind or "")
            where = {
                "station": fields.pop("station", None) or station,
                "district": fields.pop("district", None) or district,
            }
            try:
                new_case = svc.validate_new(fields) | where
            except ValidationError as exc:
                errs += [RowError(rowno, e.field, e.message) for e in exc.errors]
        if errs or path is None:
            report.errors += errs
            continue
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            report.errors.append(RowError(rowno, "file", f"cannot be read: {exc.strerror}"))
            continue
        tasks.append(Task(rowno, path, sha, case_id, new_case, face, taken_on))
    return tasks


def _read_manifest(sheet: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with sheet.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header: list[str] | None = None
            for rowno, cells in enumerate(reader, 1):
                if not any(c.strip() for c in cells):
                    continue
                if header is None:
                    header = [re.sub(r"[\s\-]+", "_", c.strip().casefold()) for c in cells]
                    continue
                raw = {}
                for col, cell in zip(header, cells, strict=False):
                    choices = _CHOICES.get(col)
                    raw[col] = choices.get(cell.strip().casefold(), cell) if choices else cell
                yield rowno, raw
    except UnicodeDecodeError:
        raise MuskanError(f"{sheet.name} is not a UTF-8 CSV file.") from None
    except csv.Error as exc:
        raise MuskanError(f"{sheet.name}: {exc}") from None
    except OSError as exc:
        raise MuskanError(f"Cannot read {sheet}: {exc.strerror or exc}") from None


def _not_yet_imported(ctx: Context, tasks: list[Task], report: FolderReport) -> list[Task]:
    """Drop photos an earlier run finished (each photo is one transaction, so a photo row
    with its descriptor means its case, alerts and audit are there too)."""
    with ctx.db.read() as s:
        done = {
            (case_id, kind, sha)
            for case_id, kind, sha in s.execute(
                select(Photo.case_id, Case.kind, Photo.sha256)
                .join(Case, Case.id == Photo.case_id)
                .join(
                    FaceEmbedding,
                    (FaceEmbedding.case_id == Photo.case_id)
                    & (FaceEmbedding.photo_sha256 == Photo.sha256),
                )
                .where(Photo.sha256.in_([t.sha256 for t in tasks]))
            )
        }
    by_case = {(c, sha) for c, _, sha in done}
    by_kind = {(k, sha) for _, k, sha in done}
    seen: set[tuple[str | None, str]] = set()
    todo = []
    for t in tasks:
        if t.case_id:
            key: tuple[str | None, str] = (t.case_id, t.sha256)
            already = key in by_case
        else:
            assert t.new_case is not None
            key = ("new:" + t.new_case["kind"], t.sha256)
            already = (t.new_case["kind"], t.sha256) in by_kind
        if already or key in seen:
            report.skipped += 1
        else:
            seen.add(key)
            todo.append(t)
    return todo


def _key(home: Path, workers: int | None, settings: FaceSettings) -> tuple[Any, ...]:
    return (str(Path(home).resolve()), workers, settings)


_prestarted: dict[tuple[Any, ...], _Encoder] = {}


def prestart_workers(
    home: Path, workers: int | None = None, settings: FaceSettings = DEFAULT_SETTINGS
) -> None:
    """Start the worker pool now, for an `import_folder` of this home soon after (the
    command line calls it before opening the register). Left unused, the pool ends with
    the program."""
    key = _key(home, workers, settings)
    if not (Path(home) / DB_FILENAME).is_file():
        return  # no register yet: nothing may be written into the folder before it is made
    if key not in _prestarted:
        _prestarted[key] = _Encoder(Path(home), workers, settings, jobs=1 << 30)


class _Encoder:
    """Encodes photos in a pool of worker processes (or in this one, for a few photos)."""

    def __init__(self, home: Path, workers: int | None, settings: FaceSettings, jobs: int) -> None:
        self.home = str(home)
        self.settings = settings
        n = min(workers or min(os.cpu_count() or 1, 8), jobs)
        self.pool: Any = None
        if n > 1 and jobs >= 3:
            # spawn, as on Windows: no forked copies of the parent's connections or threads
            mp = multiprocessing.get_context("spawn")
            self.pool = mp.Pool(n, init_worker, (self.home, settings))

    def __enter__(self) -> _Encoder:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()

    def run(self, tasks: list[Task]) -> Iterator[tuple[int, Encoded | str]]:
        jobs = [(t.row, str(t.path), t.face) for t in tasks]
        if self.pool is None:
            init_worker(self.home, self.settings)
            return (encode_one(job) for job in jobs)
        return cast(
            Iterator[tuple[int, Encoded | str]],
            self.pool.imap_unordered(encode_one, jobs, chunksize=1),
        )
