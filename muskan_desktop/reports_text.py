"""Text in the PDF reports: Hindi shaped by HarfBuzz, and still searchable and copyable.

ReportLab 4+ shapes Devanagari through uharfbuzz, but its ToUnicode table maps each drawn
glyph to one character: conjuncts (ष्ट्र, प्र, क्ष) come out as private-use characters and a
pre-base matra (the ि of कि) before its consonant, so searching or copying Hindi from the
PDF fails. Here each word is shaped once (HarfBuzz, cached), and the glyphs of every
cluster get character codes of their own whose ToUnicode entries give back the cluster's
text in logical order, dealt out over its glyphs. Viewers, pypdf and pdftotext then read
the words as typed, and search finds them.

Noto Sans Devanagari has no Latin letters, so each string is split into script runs drawn
in Noto Sans Devanagari or Noto Sans. Imported only while a report is being made (ReportLab
and uharfbuzz are heavy); the fonts are registered once per process.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uharfbuzz
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, ShapeData, ShapedStr, TTFont
from reportlab.platypus import Flowable

from .paths import resource

DEVA = "MuskanDeva"
LATIN = "MuskanLatin"
_FILES = {
    DEVA: "NotoSansDevanagari-Regular.ttf",
    DEVA + "-Bold": "NotoSansDevanagari-Bold.ttf",
    LATIN: "NotoSans-Regular.ttf",
    LATIN + "-Bold": "NotoSans-Bold.ttf",
}
_CACHE_MAX = 200_000  # shaped words kept per process
_FIRST_ALIAS = 0xF0000  # supplementary private use: clear of the fonts' own characters
_VIRAMA, _ZWJ, _ZWNJ = "\u094d", "\u200d", "\u200c"
# one PDF at a time: fonts, their alias tables and ReportLab's font registry are shared
BUILD_LOCK = threading.RLock()


class ClusterFont(TTFont):  # type: ignore[misc]
    """A shapable TrueType font whose ToUnicode table gives back each cluster's text."""

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(name, str(path), shapable=True)
        face = uharfbuzz.Face(uharfbuzz.Blob(path.read_bytes()))
        self.hb = uharfbuzz.Font(face)
        self.scale = 1000.0 / face.upem
        self.alias_text: dict[int, str] = {}
        self._aliases: dict[tuple[int, str, float | None], int] = {}
        self._shaped: dict[str, ShapedStr] = {}

    def shape(self, text: str) -> ShapedStr:
        """The text shaped (cached), as characters ReportLab draws glyph by glyph."""
        hit = self._shaped.get(text)
        if hit is not None:
            return hit
        if len(self._shaped) > _CACHE_MAX:
            self._shaped.clear()
        buf = uharfbuzz.Buffer()
        buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
        buf.add_str(text)
        buf.guess_segment_properties()
        uharfbuzz.shape(self.hb, buf, {"kern": True, "liga": True})
        infos, positions = buf.glyph_infos, buf.glyph_positions
        to_glyph = self.face.charToGlyph
        texts = _cluster_texts(text, infos, positions)
        chars, data = [], []
        k = self.scale
        for info, pos, piece in zip(infos, positions, texts, strict=True):
            gid, adv, dx = info.codepoint, pos.x_advance * k, pos.x_offset * k
            # A glyph drawn off its pen position (a mark placed on its consonant) gets a PDF
            # width that lands the pen back in place: no rightward jump after it, which
            # extractors read as a space (कु मार).
            width = round(adv - dx, 1) if dx and adv - dx >= 0 else None
            if width is None and len(piece) == 1 and to_glyph.get(ord(piece)) == gid:
                code = ord(piece)
            else:
                code = self._alias(gid, piece, width)
            chars.append(chr(code))
            data.append(
                ShapeData(
                    info.cluster,
                    adv,
                    pos.y_advance * k,
                    dx,
                    pos.y_offset * k,
                    self.face.charWidths[code],
                )
            )
        out = ShapedStr("".join(chars), shapeData=data)
        self._shaped[text] = out
        return out

    def _alias(self, gid: int, text: str, width: float | None) -> int:
        key = (gid, text, width)
        code = self._aliases.get(key)
        if code is None:
            code = _FIRST_ALIAS + len(self._aliases)
            self._aliases[key] = code
            self.alias_text[code] = text
            self.face.charToGlyph[code] = gid
            nominal = self.hb.get_glyph_h_advance(gid) * self.scale
            self.face.charWidths[code] = nominal if width is None else width
        return code

    def addObjects(self, doc: Any) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            if any(u in self.alias_text for u in subset):
                base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
                name = base.decode("pdfdoc")
                doc.idToObject["toUnicodeCMap:" + name].content = self._to_unicode(name, subset)

    def _to_unicode(self, name: str, subset: list[int]) -> str:
        def target(u: int) -> str:
            text = self.alias_text[u] if u in self.alias_text else chr(u)
            return text.encode("utf-16-be").hex().upper()

        entries = [f"<{i:02X}> <{target(u)}>" for i, u in enumerate(subset)]
        return "\n".join(
            [
                "/CIDInit /ProcSet findresource begin",
                "12 dict begin",
                "begincmap",
                f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
                f"/CMapName /{name} def",
                "/CMapType 2 def",
                "1 begincodespacerange",
                f"<00> <{len(subset) - 1:02X}>",
                "endcodespacerange",
            ]
            + [
                line
                for i in range(0, len(entries), 100)
                for line in (
                    f"{len(entries[i : i + 100])} beginbfchar",
                    *entries[i : i + 100],
                    "endbfchar",
                )
            ]
            + ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        )


def _cluster_texts(text: str, infos: Any, positions: Any) -> list[str]:
    """The text each glyph stands for: a cluster's characters, in logical order, dealt out
    to its glyphs in drawing order (glyphs with no advance, like a reph, get nothing
    unless the cluster has no other glyph), so extraction reads the cluster as typed."""
    starts = sorted({i.cluster for i in infos})
    ends = dict(zip(starts, starts[1:] + [len(text)], strict=True))
    groups: dict[int, list[int]] = {}
    for n, info in enumerate(infos):
        groups.setdefault(info.cluster, []).append(n)
    out = [""] * len(infos)
    for c, members in groups.items():
        piece = text[c : ends[c]]
        carriers = [n for n in members if positions[n].x_advance > 0] or members
        for j, n in enumerate(carriers[: len(piece)]):
            last = j == min(len(carriers), len(piece)) - 1
            out[n] = piece[j:] if last else piece[j]
    return out


_fonts: dict[str, ClusterFont] = {}


def fonts() -> dict[str, ClusterFont]:
    """The four report fonts, registered with ReportLab once."""
    with BUILD_LOCK:
        if not _fonts:
            for name, file in _FILES.items():
                f = ClusterFont(name, resource("fonts", file))
                pdfmetrics.registerFont(f)
                _fonts[name] = f
    return _fonts


# -- script runs --------------------------------------------------------------------------


def _script(ch: str, deva_font: ClusterFont) -> str:
    """'D' Devanagari, 'L' Latin font, 'N' neutral (in both fonts: digits, punctuation)."""
    o = ord(ch)
    if 0x900 <= o <= 0x97F or 0xA8E0 <= o <= 0xA8FF or 0x1CD0 <= o <= 0x1CFF:
        return "D"
    if ch in (_ZWJ, _ZWNJ):
        return "N"
    if o in deva_font.face.charToGlyph and not unicodedata.category(ch).startswith("L"):
        return "N"
    return "L"


def script_runs(text: str, hindi: bool) -> list[tuple[str, str]]:
    """(family, text) runs: neutral characters join the run before them (else the next)."""
    if text.isascii():  # the common case: numbers, dates, ids, English words
        latin = hindi is False or any(c.isalpha() or c in "$&@`" for c in text)
        return [(LATIN if latin else DEVA, text)]
    deva = fonts()[DEVA]
    marks = [_script(ch, deva) for ch in text]
    first = next((m for m in marks if m != "N"), "D" if hindi else "L")
    runs: list[tuple[str, str]] = []
    cur, start = first, 0
    for i, m in enumerate(marks):
        if m != "N" and m != cur:
            if i > start:
                runs.append((cur, text[start:i]))
            cur, start = m, i
    if len(text) > start:
        runs.append((cur, text[start:]))
    return [(DEVA if s == "D" else LATIN, t) for s, t in runs]


# -- lines --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextStyle:
    size: float = 9
    leading: float | None = None
    bold: bool = False
    align: str = "left"  # left, center, right
    color: Any = colors.black
    hindi: bool = False

    @property
    def line_height(self) -> float:
        return self.leading or self.size * 1.3


Piece = tuple[ClusterFont, str]  # a ShapedStr, or a plain str ReportLab draws as is


@dataclass
class Line:
    pieces: list[Piece] = field(default_factory=list)
    width: float = 0.0  # in 1000ths of the font size


def _piece(family: str, text: str, bold: bool) -> tuple[ClusterFont, str, float]:
    font = fonts()[family + ("-Bold" if bold else "")]
    if text.isascii():  # nothing to shape (and kerning is not worth a glyph alias each)
        return font, text, pdfmetrics.stringWidth(text, font.fontName, 1000)
    s = font.shape(text)
    return font, s, sum(d.x_advance for d in s.__shapeData__)


_words: dict[tuple[str, bool, bool], tuple[list[tuple[ClusterFont, str, float]], float]] = {}


def _word(word: str, style: TextStyle) -> tuple[list[tuple[ClusterFont, str, float]], float]:
    """A word's pieces (one per script run) and its width in 1000ths of the font size."""
    key = (word, style.bold, style.hindi)
    hit = _words.get(key)
    if hit is None:
        if len(_words) > _CACHE_MAX:
            _words.clear()
        pieces = [_piece(fam, t, style.bold) for fam, t in script_runs(word, style.hindi)]
        hit = _words[key] = (pieces, sum(p[2] for p in pieces))
    return hit


def _break_points(word: str) -> list[int]:
    """Where an over-long word may be cut without splitting a syllable."""
    return [
        i
        for i in range(1, len(word))
        if not unicodedata.category(word[i]).startswith("M")
        and word[i - 1] not in (_VIRAMA, _ZWJ, _ZWNJ)
        and word[i] not in (_ZWJ, _ZWNJ)
    ]


def _split_long(word: str, limit: float, style: TextStyle) -> list[str]:
    """Cut a word wider than a line into parts that fit (at least one syllable each)."""
    parts, rest = [], word
    while rest:
        cuts = _break_points(rest) + [len(rest)]
        lo, hi = 0, len(cuts) - 1  # the last cut that fits, by bisection
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _word(rest[: cuts[mid]], style)[1] <= limit:
                lo = mid
            else:
                hi = mid - 1
        soft = [c for c in cuts[: lo + 1] if rest[c - 1] in "-/,"]  # after a hyphen, if one fits
        cut = soft[-1] if soft else cuts[lo]
        parts.append(rest[:cut])
        rest = rest[cut:]
    return parts


_layouts: dict[tuple[str, float, TextStyle], list[Line]] = {}


def layout(text: str, width: float, style: TextStyle) -> list[Line]:
    """Greedy word wrap into `width` points; words longer than a line are cut. The same
    cell text in the same column recurs thousands of times in a long list: wrapped once.
    (Callers never change the lines they get.)"""
    key = (text, width, style)
    hit = _layouts.get(key)
    if hit is None:
        if len(_layouts) > _CACHE_MAX:
            _layouts.clear()
        hit = _layouts[key] = _layout(text, width, style)
    return hit


def _layout(text: str, width: float, style: TextStyle) -> list[Line]:
    limit = width * 1000.0 / style.size
    lines: list[Line] = []
    for para in str(text).split("\n"):
        line = Line()
        words = para.split(" ")
        i = 0
        while i < len(words):
            word = words[i]
            i += 1
            pieces, w = _word(word, style) if word else ([], 0.0)
            space = _piece(pieces[0][0].fontName.split("-")[0], " ", style.bold) if pieces else None
            gap = space[2] if (space and line.pieces) else 0.0
            if line.pieces and line.width + gap + w > limit:
                lines.append(line)
                line = Line()
                gap = 0.0
            if not line.pieces and w > limit and len(word) > 1:
                parts = _split_long(word, limit, style)
                if len(parts) > 1:
                    words[i:i] = parts[1:]  # the cut parts follow without a space
                    pieces, w = _word(parts[0], style)
                    lines.append(Line([(f, s) for f, s, _ in pieces], w))
                    continue
            if gap and space:
                line.pieces.append((space[0], space[1]))
                line.width += gap
            line.pieces.extend((f, s) for f, s, _ in pieces)
            line.width += w
        lines.append(line)
    return lines


def text_width(text: str, style: TextStyle) -> float:
    """Width in points of one unwrapped line."""
    words = sum(_word(w, style)[1] for w in text.split(" "))
    spaces = text.count(" ") * float(pdfmetrics.stringWidth(" ", LATIN, 1000))
    return (words + spaces) * style.size / 1000.0


def _ops(canv: Any, font_name: str, size: float, s: str) -> str:
    """The PDF operators that show `s` (font selection included), formatted once per
    document: a long review repeats the same names, places and labels thousands of times,
    and within one document their operators are always the same (each piece selects its
    font, so no state carries over from the piece before)."""
    cache = canv.__dict__.setdefault("_muskan_text_ops", {})
    key = (font_name, size, isinstance(s, ShapedStr), str(s))
    ops: str | None = cache.get(key)
    if ops is None:
        fmt = canv.__dict__.get("_muskan_text_fmt")
        if fmt is None:
            fmt = canv.__dict__["_muskan_text_fmt"] = canv.beginText(0, 0)
        fmt.setFont(font_name, size)
        ops = cache[key] = fmt._formatText(s)
    return ops


def _show(canv: Any, x: float, y: float, ops: list[str]) -> None:
    # one text object per line, no line feed: extractors read the line as one
    canv._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {' '.join(ops)} ET")


def draw_line(canv: Any, x: float, y: float, line: Line, style: TextStyle) -> None:
    canv.setFillColor(style.color)
    merged: list[Piece] = []
    for font, s in line.pieces:
        last = merged[-1] if merged else None
        if last and last[0] is font and isinstance(s, ShapedStr) == isinstance(last[1], ShapedStr):
            merged[-1] = (font, last[1] + s)
        else:
            merged.append((font, s))
    _show(canv, x, y, [_ops(canv, font.fontName, style.size, s) for font, s in merged])


def draw_plain(canv: Any, x: float, y: float, text: str, size: float, align: str = "LEFT") -> None:
    """ASCII text in the Latin font (table figures, dates, ids): nothing to shape."""
    if align != "LEFT":
        w = pdfmetrics.stringWidth(text, LATIN, size)
        x -= w if align == "RIGHT" else w / 2.0
    _show(canv, x, y, [_ops(canv, LATIN, size, text)])


def draw_text(
    canv: Any, x: float, y: float, text: str, style: TextStyle, width: float | None = None
) -> float:
    """One line at (x, y) (baseline), aligned within `width` if given; returns its width."""
    line = layout(text, 1e9, style)[0] if text else Line()
    w = line.width * style.size / 1000.0
    if style.align == "right":
        x -= w if width is None else w - width
    elif style.align == "center":
        x -= w / 2 if width is None else (w - width) / 2
    draw_line(canv, x, y, line, style)
    return w


class TextBox(Flowable):  # type: ignore[misc]
    """A wrapped block of mixed Hindi/English text (the Paragraph of these reports)."""

    def __init__(
        self, text: Any, style: TextStyle, space_after: float = 0, lines: list[Line] | None = None
    ) -> None:
        super().__init__()
        self.text = "" if text is None else str(text)
        self.style = style
        self.spaceAfter = space_after
        self._fixed = lines is not None
        self._lines: list[Line] = lines or []
        self._width = -1.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if not self._fixed and self._width != avail_width:
            self._lines = layout(self.text, avail_width, self.style)
        self._width = avail_width
        return avail_width, len(self._lines) * self.style.line_height

    def draw(self) -> None:
        st = self.style
        y = len(self._lines) * st.line_height - st.line_height + (st.line_height - st.size) / 2
        y += st.size * 0.18  # baseline above the descenders
        for line in self._lines:
            w = line.width * st.size / 1000.0
            x = 0.0
            if st.align == "right":
                x = self._width - w
            elif st.align == "center":
                x = (self._width - w) / 2
            draw_line(self.canv, x, y, line, st)
            y -= st.line_height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        n = int(avail_height // self.style.line_height)
        if n < 1 or n >= len(self._lines):
            return []
        return [
            TextBox(self.text, self.style, 0, self._lines[:n]),
            TextBox(self.text, self.style, self.spaceAfter, self._lines[n:]),
        ]
