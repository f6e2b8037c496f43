"""CSV files from outside, read in bounded memory; CSV cells written so a spreadsheet runs none.

`csv.reader` over a file keeps reading until a record ends: `/dev/zero` (no line end) or a
10 MB cell takes all the memory there is, and one over-long cell (more than csv's field
limit) stops the whole file. Here the file is read in pieces of at most `CHUNK` characters;
a record is kept only up to `MAX_ROW_CHARS` (the rest is counted, not kept), the file up to
`MAX_BYTES` and `MAX_ROWS`. Each record says where it lies in the file (its lines), so a quote
that is never closed, or that swallowed the next rows, can be reported by row and line.

Export: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading
apostrophe, as OWASP advises against CSV injection; `unescape_cell` takes it off again on
import, so our own export imports unchanged.
"""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import MuskanError

MAX_BYTES = 50_000_000  # 50 MB: a full register of about 100,000 cases; split bigger files
MAX_ROWS = 50_000  # rows below the header, in one import
MAX_ROW_CHARS = 100_000  # one row: many times the longest case the form can hold
CHUNK = 8192  # characters read at a time
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NOTHING = "Nothing was imported."

# states of the quote scanner (those of csv's own parser that decide where a record ends)
_START, _FIELD, _QUOTED, _QUOTE_SEEN = range(4)


@dataclass(frozen=True)
class Record:
    row: int  # as a spreadsheet numbers it: from 1
    first_line: int  # the lines of the file it came from
    last_line: int
    cells: list[str]
    unclosed: bool = False  # a quote opened in this record is never closed: it ran to the end
    overlong: bool = False  # more than MAX_ROW_CHARS: `cells` are its beginning; the last
    # cell is the one that was cut

    @property
    def lines(self) -> str:
        if self.first_line == self.last_line:
            return f"line {self.first_line}"
        return f"lines {self.first_line}-{self.last_line}"


def escape_cell(value: str) -> str:
    """A text cell as CSV export writes it: one apostrophe before a formula's first character."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_TRIGGERS) else value


def unescape_cell(value: str) -> str:
    """The apostrophe `escape_cell` added, taken off again (exactly one)."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def refused(message: str) -> MuskanError:
    return MuskanError(f"{message} {NOTHING}")


def read_records(path: Path) -> Iterator[Record]:
    """The file's records in order, blank ones included; MuskanError when the file as a whole
    cannot be read (not UTF-8 text, binary, too large, too many rows)."""
    not_text = refused(
        f'{path.name} is not a UTF-8 CSV file. In Excel use Save As, "CSV UTF-8 (Comma delimited)".'
    )
    too_big = refused(
        f"{path.name} is larger than {MAX_BYTES // 1_000_000} MB, the most one import takes: "
        "split it into smaller files."
    )
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
                raise too_big
            binary = refused(
                f"{path.name} is not a UTF-8 CSV file: it holds NUL bytes (a binary file, or "
                'UTF-16 text). In Excel use Save As, "CSV UTF-8 (Comma delimited)".'
            )
            for record in _split(fh, binary, too_big):
                if record.row > MAX_ROWS + 1:
                    raise refused(
                        f"{path.name} has more than {MAX_ROWS:,} rows, the most one import "
                        "takes: split it into smaller files."
                    )
                yield record
    except UnicodeDecodeError:
        raise not_text from None
    except OSError as exc:
        raise refused(f"Cannot read {path}: {exc.strerror or exc}.") from exc


def _pieces(fh: IO[str]) -> Iterator[str]:
    """The text in pieces of at most CHUNK characters, each ending at a line end or where it
    was cut; a "\\r\\n" is never split between two pieces."""
    carry = ""
    while True:
        piece = carry or fh.readline(CHUNK)
        carry = ""
        if not piece:
            return
        if piece.endswith("\r"):
            carry = fh.readline(CHUNK)
            if carry.startswith("\n"):
                piece, carry = piece + "\n", carry[1:]
        yield piece


def _scan(piece: str, state: int) -> int:
    """The quote state after `piece`, as csv's parser (doublequote, not strict) sees it."""
    i = 0
    if state == _QUOTE_SEEN:  # the last piece ended on a quote inside quotes
        if piece.startswith('"'):
            state, i = _QUOTED, 1  # "" is a quote inside the cell
        else:
            state = _FIELD
    field_at = 0 if state == _START else -1
    n = len(piece)
    while i < n:
        if state == _QUOTED:
            j = piece.find('"', i)
            if j < 0:
                return _QUOTED
            if j + 1 == n:
                return _QUOTE_SEEN
            if piece[j + 1] == '"':
                i = j + 2
            else:
                state, field_at, i = _FIELD, -1, j + 1
            continue
        q, c = piece.find('"', i), piece.find(",", i)
        if q < 0 and c < 0:  # the rest is the field's text, or the line end
            return _FIELD if piece[i:].strip("\r\n") else state
        if c >= 0 and (q < 0 or c < q):
            state, field_at, i = _START, c + 1, c + 1
        else:
            state = _QUOTED if q == field_at else _FIELD
            field_at, i = -1, q + 1
    return state


def _split(fh: IO[str], binary: MuskanError, too_big: MuskanError) -> Iterator[Record]:
    row = line = read = 0
    pieces = _pieces(fh)
    while True:
        kept: list[str] = []
        size, state, first = 0, _START, line + 1
        for piece in pieces:
            read += len(piece)
            if read > MAX_BYTES:
                raise too_big  # not a regular file (a pipe, a device): counted as it comes
            if "\x00" in piece:
                raise binary  # UTF-16, a spreadsheet, /dev/zero or some other binary file
            if size <= MAX_ROW_CHARS:
                kept.append(piece)
            size += len(piece)
            state = _scan(piece, state)
            if piece.endswith(("\n", "\r")):
                line += 1
                if state not in (_QUOTED, _QUOTE_SEEN):
                    break
        else:
            if not kept:
                return
            if not piece.endswith(("\n", "\r")):
                line += 1  # the last line has no line end
        row += 1
        try:
            cells = next(csv.reader(["".join(kept)], strict=False), [])
        except csv.Error as exc:
            raise refused(f"Line {first} cannot be read as CSV ({exc}).") from None
        unclosed = state == _QUOTED  # (a quote seen last, at the very end, closes the cell)
        yield Record(row, first, max(first, line), cells, unclosed, size > MAX_ROW_CHARS)
