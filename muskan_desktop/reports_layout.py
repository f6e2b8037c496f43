"""Page furniture of the PDF reports: numbered pages, long tables, bar charts, safe writing.

Loaded only while a report is made (it imports ReportLab).
"""

from __future__ import annotations

import bisect
import errno
import itertools
import os
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

from .errors import MuskanError
from .reports_text import LATIN, TextBox, TextStyle, draw_plain, draw_text, fonts, text_width

PAGE = A4
FRAME_PAD = 6  # platypus frames keep 6 pt inside their edges
MARGIN = 12 * mm - FRAME_PAD
INSET = MARGIN + FRAME_PAD  # where the text starts: headers and footers line up with it
TOP, BOTTOM = 16 * mm, 17 * mm
FRAME_WIDTH = PAGE[0] - 2 * INSET
HEAD_BG = colors.HexColor("#dfe6ee")
GROUP_BG = colors.HexColor("#f1f1f1")
TOTAL_BG = colors.HexColor("#e8ecd9")
GRID = colors.HexColor("#9aa4ae")
GREY = colors.HexColor("#555555")
SERIES = (colors.HexColor("#2f6690"), colors.HexColor("#d1495b"), colors.HexColor("#8a8a8a"))
PAD = 2.0


# -- numbered pages -------------------------------------------------------------------------


class PagedCanvas(Canvas):  # type: ignore[misc]
    """Holds pages back until the end, so each page can say "page x of y"."""

    def __init__(
        self,
        *args: Any,
        decorate: Callable[[Canvas, int, int], None],
        on_page: Callable[[int], None] | None = None,
        **kw: Any,
    ) -> None:
        kw["initialFontName"] = LATIN  # else an unembedded Helvetica is declared on every page
        super().__init__(*args, **kw)
        self._held: list[dict[str, Any]] = []
        self._decorate = decorate
        self._on_page = on_page

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()
        if self._on_page:
            self._on_page(len(self._held))

    def save(self) -> None:
        total = len(self._held)
        for n, state in enumerate(self._held, 1):
            self.__dict__.update(state)
            self._decorate(self, n, total)
            super().showPage()
        super().save()


def new_document(path: Path, title: str, author: str) -> SimpleDocTemplate:
    fonts()  # registered before the canvas names its initial font
    return SimpleDocTemplate(
        str(path),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=title,
        author=author,
        creator="Muskan Desktop",
        subject=title,
    )


# -- tables of any length -------------------------------------------------------------------


@dataclass
class Row:
    cells: list[Any]
    kind: str = "body"  # body, group (a heading across all columns), total


@dataclass
class TableSpec:
    header: list[list[Any]]
    widths: list[float]
    aligns: Sequence[str]  # per column: LEFT, RIGHT, CENTER
    font_size: float
    header_spans: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    pad: float = PAD  # above and below the text of each cell


class ListTable(Flowable):  # type: ignore[misc]
    """A table that splits page by page in linear time, its header on every page.

    platypus.Table measures every remaining row again at each page break, which is
    quadratic: half a minute for 14,000 rows. Here each row is measured once, and each page
    gets a RowsBlock (the header, then just the rows that fit on it).
    """

    def __init__(self, spec: TableSpec, rows: list[Row], start: int = 0, _shared: Any = None):
        super().__init__()
        self.spec = spec
        self.rows = rows
        self.start = start
        self._shared = _shared if _shared is not None else {}

    # heights, measured once for all the pieces of this table
    def _measure(self) -> tuple[float, list[float]]:
        sh = self._shared
        if "ends" not in sh:
            sh["header"] = [self._row_height(cells) for cells in self.spec.header]
            heights = [self._row_height(r.cells, r.kind == "group") for r in self.rows]
            sh["heights"] = heights
            sh["ends"] = list(itertools.accumulate(heights))
        return sum(sh["header"]), sh["ends"]

    def _row_height(self, cells: list[Any], spans_all: bool = False) -> float:
        h = self.spec.font_size * 1.25
        widths = [sum(self.spec.widths)] if spans_all else self.spec.widths
        for c, w in zip(cells, widths, strict=False):
            items = c if isinstance(c, list) else [c]
            got = sum(x.wrap(w - 2 * PAD, 1e6)[1] for x in items if isinstance(x, Flowable))
            h = max(h, got)
        return h + 2 * self.spec.pad

    def _span(self, a: int, b: int) -> float:
        ends = self._measure()[1]
        return ends[b - 1] - (ends[a - 1] if a > 0 else 0.0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        head, _ = self._measure()
        n = len(self.rows)
        return sum(self.spec.widths), head + (self._span(self.start, n) if n > self.start else 0)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        head, ends = self._measure()
        base = ends[self.start - 1] if self.start else 0.0
        stop = bisect.bisect_right(ends, base + avail_height - head, lo=self.start)
        while stop > self.start and self.rows[stop - 1].kind == "group":
            stop -= 1  # a group heading goes with its first row
        if stop <= self.start or stop >= len(self.rows):
            return []
        return [
            self._table(self.start, stop),
            ListTable(self.spec, self.rows, stop, self._shared),
        ]

    def draw(self) -> None:
        t = self._table(self.start, len(self.rows))
        t.wrapOn(self.canv, sum(self.spec.widths), 1e6)
        t.drawOn(self.canv, 0, 0)

    def _table(self, a: int, b: int) -> RowsBlock:
        sh = self._shared
        return RowsBlock(self.spec, sh["header"], self.rows[a:b], sh["heights"][a:b])


class RowsBlock(Flowable):  # type: ignore[misc]
    """The header and one page's rows of a ListTable, drawn straight onto the canvas.

    Looks as a platypus Table with GRID, middle alignment and the same paddings would, at a
    third of the cost: a 390-page review draws 170,000 cells, and Table's general machinery
    (cell styles, span maps, line commands) cost more than the text itself.
    """

    def __init__(
        self, spec: TableSpec, head: list[float], rows: list[Row], heights: list[float]
    ) -> None:
        super().__init__()
        self.spec, self.head, self.rows, self.heights = spec, head, rows, heights

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return sum(self.spec.widths), sum(self.head) + sum(self.heights)

    def draw(self) -> None:
        spec, canv = self.spec, self.canv
        widths = spec.widths
        xs = list(itertools.accumulate(widths, initial=0.0))
        total_w = xs[-1]
        y = sum(self.head) + sum(self.heights)
        canv.setLineWidth(0.3)
        canv.setStrokeColor(GRID)
        canv.setFont(LATIN, spec.font_size, spec.font_size * 1.25)
        # header rows: spans as the spec says, everything left-aligned
        covered: dict[tuple[int, int], tuple[int, int]] = {}
        for (c0, r0), (c1, r1) in spec.header_spans:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    covered[(c, r)] = (c1, r1) if (c, r) == (c0, r0) else (-1, -1)
        head_top = y
        canv.setFillColor(HEAD_BG)
        canv.rect(0, y - sum(self.head), total_w, sum(self.head), stroke=0, fill=1)
        tops = list(itertools.accumulate(self.head, lambda t, h: t - h, initial=head_top))
        for r, cells in enumerate(spec.header):
            for c, value in enumerate(cells):
                c1, r1 = covered.get((c, r), (c, r))
                if c1 < 0:
                    continue
                x0, w = xs[c], xs[c1 + 1] - xs[c]
                h = tops[r] - tops[r1 + 1]
                self._cell(value, x0, tops[r1 + 1], w, h, "LEFT")
                canv.rect(x0, tops[r1 + 1], w, h, stroke=1, fill=0)
        y = tops[-1]
        for row, h in zip(self.rows, self.heights, strict=True):
            y -= h
            if row.kind == "group":
                canv.setFillColor(GROUP_BG)
                canv.rect(0, y, total_w, h, stroke=1, fill=1)
                self._cell(row.cells[0], 0, y, total_w, h, "LEFT")
                continue
            if row.kind == "total":
                canv.setFillColor(TOTAL_BG)
                canv.rect(0, y, total_w, h, stroke=0, fill=1)
            for c, value in enumerate(row.cells):
                self._cell(value, xs[c], y, widths[c], h, spec.aligns[c])
                canv.rect(xs[c], y, widths[c], h, stroke=1, fill=0)

    def _cell(self, value: Any, x: float, y: float, w: float, h: float, align: str) -> None:
        """One cell's content, vertically centred (the formulas of platypus.Table)."""
        canv, pad, size = self.canv, self.spec.pad, self.spec.font_size
        if value is None or value == "":
            return
        if isinstance(value, (Flowable, list)):
            items = value if isinstance(value, list) else [value]
            sizes = [v.wrapOn(canv, w - 2 * PAD, h - 2 * pad) for v in items]
            top = y + (h + sum(s[1] for s in sizes)) / 2.0
            for v, (vw, vh) in zip(items, sizes, strict=True):
                top -= vh
                if align == "RIGHT":
                    vx = x + w - PAD - vw
                elif align == "CENTER":
                    vx = x + (w - vw) / 2.0
                else:
                    vx = x + PAD
                v.drawOn(canv, vx, top)
            return
        lines = str(value).split("\n")
        leading = size * 1.25
        base = y + (h + len(lines) * leading) / 2.0 - size
        canv.setFillColor(colors.black)
        at = {"RIGHT": x + w - PAD, "CENTER": x + w / 2.0}.get(align, x + PAD)
        for line in lines:
            draw_plain(canv, at, base, line, size, align)
            base -= leading


def grid(data: list[list[Any]], style: list[Any], **kw: Any) -> Table:
    """A platypus Table whose cells use the embedded font (Table's default is Helvetica,
    which would be declared, unembedded, even when every cell holds a flowable)."""
    t = Table(data, **kw)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), LATIN, 9), *style]))
    return t


def cell(value: Any, style: TextStyle, width: float) -> Any:
    """A table cell: a plain string when it is ASCII and fits (fast), else wrapped text."""
    text = "" if value is None else str(value)
    if text.isascii() and "\n" not in text and not style.bold:
        if text_width(text, style) <= width - 2 * PAD - 0.5:
            return text
    return TextBox(text, style)


# -- bar charts -----------------------------------------------------------------------------


class BarChart(Flowable):  # type: ignore[misc]
    """A VerticalBarChart in a Drawing, with its category names and legend drawn as
    shaped text (ReportLab's chart labels cannot shape Devanagari)."""

    def __init__(
        self,
        categories: list[str],
        series: list[list[int]],
        names: list[str],
        style: TextStyle,
        height: float = 190,
    ) -> None:
        super().__init__()
        self.categories, self.series, self.names = categories, series, names
        self.style = style
        self.height = height
        self.width = FRAME_WIDTH

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        n = len(self.categories)
        label = TextStyle(size=7, hindi=self.style.hindi, align="right")
        longest = max((text_width(c, label) for c in self.categories), default=0)
        plot_w = min(self.width - 50, max(n, 3) * 90)  # a few categories: no giant bars
        slot = plot_w / max(n, 1)
        rotate = longest > slot - 4
        below = min(longest * 0.6 + 12, 70) if rotate else 14
        d = Drawing(self.width, self.height, initialFontName=LATIN)
        ch = VerticalBarChart()
        ch.x, ch.y = 40, below
        ch.width, ch.height = plot_w, self.height - below - 22
        ch.data = [list(s) for s in self.series]
        ch.categoryAxis.categoryNames = [""] * n
        ch.categoryAxis.labels.fontName = LATIN
        ch.valueAxis.valueMin = 0
        top = max((max(s) for s in self.series if s), default=0)
        ch.valueAxis.valueMax = max(5, int(top * 1.15) + 1)
        ch.valueAxis.labels.fontName = LATIN
        ch.valueAxis.labels.fontSize = 7
        ch.valueAxis.visibleGrid = 1
        ch.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
        ch.barLabelFormat = lambda v: f"{int(v)}" if v else ""
        ch.barLabels.fontName = LATIN
        ch.barLabels.fontSize = 6.5
        ch.barLabels.nudge = 5
        ch.groupSpacing = 6
        for i in range(len(self.series)):
            ch.bars[i].fillColor = SERIES[i % len(SERIES)]
            ch.bars[i].strokeColor = None
        d.add(ch)
        renderPDF.draw(d, self.canv, 0, 0)
        c = self.canv
        for i, name in enumerate(self.categories):
            x = ch.x + ch.width * (i + 0.5) / max(n, 1)
            c.saveState()
            if rotate:
                c.translate(x + 3, ch.y - 5)
                c.rotate(35)
                draw_text(c, 0, 0, name, label)
            else:
                draw_text(
                    c, x, ch.y - 10, name, TextStyle(size=7, hindi=label.hindi, align="center")
                )
            c.restoreState()
        x = ch.x
        key = TextStyle(size=7.5, hindi=self.style.hindi)
        for i, name in enumerate(self.names):
            c.setFillColor(SERIES[i % len(SERIES)])
            c.rect(x, self.height - 10, 8, 8, stroke=0, fill=1)
            x += 12 + draw_text(c, x + 11, self.height - 9, name, key) + 10


# -- writing the file -----------------------------------------------------------------------


@contextmanager
def atomic_target(out: Path) -> Iterator[Path]:
    """A temporary file beside `out`; the caller moves it into place (os.replace) when done.

    Checked before any work is done, so a bad output path fails fast with a plain message;
    on any error the temporary file is removed and `out` is left as it was.
    """
    out = Path(out)
    if out.is_dir():
        raise MuskanError(f"{out} is a folder; give a file name for the PDF.")
    tmp = out.parent / f".{out.name}.{secrets.token_hex(4)}.tmp"
    try:  # not mkstemp: its 0600 would stay on the report; this honours the umask
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise _write_error(out, exc) from None
    try:
        yield tmp
    finally:
        with suppress(OSError):
            tmp.unlink()


def build(doc: SimpleDocTemplate, story: list[Any], canvasmaker: Any) -> None:
    try:
        doc.build(story, canvasmaker=canvasmaker)
    except OSError as exc:
        raise _write_error(Path(doc.filename), exc) from None


def finish(tmp: Path, out: Path) -> None:
    """Make the finished temporary file durable and move it into place."""
    try:
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
        if os.name != "nt":
            fd = os.open(out.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except OSError as exc:
        raise _write_error(out, exc) from None


def _write_error(out: Path, exc: OSError) -> MuskanError:
    folder = out.parent
    if exc.errno == errno.ENOENT:
        return MuskanError(f"Cannot write {out.name}: the folder {folder} does not exist.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return MuskanError(
            f"Cannot write {out.name}: no permission to write in {folder}; choose another folder."
        )
    if exc.errno == errno.ENOSPC:
        return MuskanError(f"Cannot write {out.name}: the disk holding {folder} is full.")
    return MuskanError(f"Cannot write {out}: {exc.strerror or exc}.")


def grey(style: TextStyle, size: float | None = None) -> TextStyle:
    return TextStyle(
        size=size or style.size, hindi=style.hindi, color=GREY, align=style.align, bold=False
    )
