"""The review meeting's PDF, laid out from the `review_stats` figures (never recounted)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from . import places
from .context import Context
from .reports import Labels, date_text, local_time
from .reports_layout import (
    FRAME_WIDTH,
    INSET,
    PAD,
    PAGE,
    BarChart,
    ListTable,
    PagedCanvas,
    Row,
    TableSpec,
    build,
    cell,
    grey,
    grid,
    new_document,
)
from .reports_text import TextBox, TextStyle, draw_text, text_width
from .stats import PENDING_AGE

FIGURES = ("reported", "traced", "recovered", "restored", "pending")


def _widths(*parts: float, total: float = FRAME_WIDTH) -> list[float]:
    k = total / sum(parts)
    return [p * k for p in parts]


class ReviewBuilder:
    def __init__(self, data: dict[str, Any], ctx: Context, labels: Labels) -> None:
        self.data, self.ctx, self.L = data, ctx, labels
        h = labels.hindi
        self.body = TextStyle(size=9, hindi=h)
        self.small = TextStyle(size=7, hindi=h)
        self.tiny = TextStyle(size=6.3, hindi=h)
        self.head = TextStyle(size=7, hindi=h, bold=True, align="center")
        self.num = TextStyle(size=7, hindi=h, align="right")
        rng = places.stations()[0].range
        scope_range = rng.hi if h else rng.en
        p = data["period"]
        self.scope = (
            labels("scope_district", range=scope_range, district=labels.district(data["district"]))
            if data["district"]
            else labels("scope_range", range=scope_range)
        )
        self.period = labels("period", start=date_text(p["from"]), end=date_text(p["to"]))
        self.generated = labels("generated", who=ctx.actor, when=local_time(ctx.clock()))
        self.n = 0

    # -- page furniture ---------------------------------------------------------------------
    def decorate(self, canv: Any, n: int, total: int) -> None:
        L, w, h = self.L, PAGE[0], PAGE[1]
        canv.saveState()
        top = TextStyle(size=7.5, hindi=L.hindi, color=colors.HexColor("#444444"))
        draw_text(canv, INSET, h - 10 * 2.835, L("review_title"), top)
        right = TextStyle(size=7.5, hindi=L.hindi, align="right", color=top.color)
        draw_text(canv, w - INSET, h - 10 * 2.835, self.scope, right)
        canv.setStrokeColor(colors.HexColor("#999999"))
        canv.setLineWidth(0.4)
        canv.line(INSET, h - 12 * 2.835, w - INSET, h - 12 * 2.835)
        canv.line(INSET, 13 * 2.835, w - INSET, 13 * 2.835)
        foot = TextStyle(size=7.5, hindi=L.hindi)
        draw_text(canv, INSET, 10 * 2.835, f"{self.scope}  ·  {self.period}", foot)
        bold = TextStyle(size=8, hindi=L.hindi, bold=True, align="right")
        draw_text(canv, w - INSET, 10 * 2.835, L("page", n=n, total=total), bold)
        draw_text(canv, INSET, 6.5 * 2.835, self.generated, foot)
        canv.restoreState()

    # -- pieces -----------------------------------------------------------------------------
    def title(self, text: str) -> list[Any]:
        return [
            CondPageBreak(110),
            Spacer(1, 8),
            TextBox(text, TextStyle(size=11.5, bold=True, hindi=self.L.hindi), space_after=4),
        ]

    def caption(self, text: str) -> TextBox:
        return TextBox(text, TextStyle(size=8.5, bold=True, hindi=self.L.hindi), 2)

    def none(self) -> TextBox:
        return TextBox(self.L("none"), self.body, space_after=4)

    def figures_spec(self, first: list[tuple[str, float]]) -> TableSpec:
        """Columns: the name columns given, then the five figures and pending by age."""
        L = self.L
        names = [k for k, _ in first]
        widths = _widths(*[w for _, w in first], *([1.0] * 5), *([1.05] * 4))
        top = [L(k) for k in names] + [L(k) for k in FIGURES[:4]] + [L("pending")] + [""] * 4
        second = [""] * (len(names) + 4) + [L("total")] + [L(f"age_{a}") for a in PENDING_AGE]
        nf = len(names) + 4
        spans = [((i, 0), (i, 1)) for i in range(nf)] + [((nf, 0), (nf + 4, 0))]
        header = [
            [cell(t, self.head, w) for t, w in zip(top, widths, strict=True)],
            [cell(t, self.head, w) for t, w in zip(second, widths, strict=True)],
        ]
        aligns = ["LEFT"] * len(names) + ["RIGHT"] * 9
        return TableSpec(header, widths, aligns, 7, spans)

    @staticmethod
    def figures(r: dict[str, Any]) -> list[str]:
        return [str(r[k]) for k in FIGURES] + [str(r["pending_by_age"][a]) for a in PENDING_AGE]

    def child_cell(self, item: dict[str, Any], width: float) -> list[Any]:
        return [
            TextBox(self.L.name(item["name"], item.get("name_deva")), self.small),
            TextBox(item["case_id"], grey(self.small, 5.8)),
        ]

    def numbered(self) -> str:
        self.n += 1
        return str(self.n)

    # -- sections ---------------------------------------------------------------------------
    def headline(self) -> list[Any]:
        L, d = self.L, self.data
        r = d["recovered"]
        home = places.home_state()
        other = L("headline_other", n=r["other"]) if r["other"] else ""
        big = TextStyle(size=12.5, bold=True, hindi=L.hindi)
        t = d["totals"]
        lines = [
            TextBox(
                L("headline", total=r["total"], boys=r["boys"], girls=r["girls"], other=other),
                big,
                space_after=3,
            ),
            TextBox(
                L(
                    "headline_states",
                    states=r["states"],
                    other_states=r["other_states"],
                    home=home.hi if L.hindi else home.en,
                ),
                self.body,
                space_after=2,
            ),
            TextBox(
                L(
                    "headline_pending",
                    pending=t["pending"],
                    interstate=len(d["located_not_recovered"]),
                    escalation=len(d["escalation_due"]),
                ),
                self.body,
                space_after=2,
            ),
            TextBox(L("headline_found", **d["found_children"]), self.body),
        ]
        box = grid(
            [[lines]],
            colWidths=[FRAME_WIDTH],
            style=[
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eef3f8")),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#2f6690")),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ],
        )
        return [
            TextBox(L("review_title"), TextStyle(size=16, bold=True, hindi=L.hindi), 2),
            TextBox(f"{self.scope}  ·  {self.period}", TextStyle(size=10, hindi=L.hindi), 8),
            box,
        ]

    def states(self) -> list[Any]:
        L, d = self.L, self.data
        out = self.title(L("states_title"))
        rows_in = d["recovered_from_states"]
        if not rows_in:
            return out + [self.none()]
        widths = _widths(3.2, 1, 1, 1, 1)
        header = [
            [
                cell(L(k), self.head, w)
                for k, w in zip(("state", "boys", "girls", "other", "total"), widths, strict=True)
            ]
        ]
        rows = [
            Row(
                [cell(L.state(s["state"], s["state_hi"]), self.small, widths[0])]
                + [str(s[k]) for k in ("boys", "girls", "other", "total")]
            )
            for s in rows_in
        ]
        r = d["recovered"]
        rows.append(
            Row(
                [cell(L("total"), TextStyle(size=7, bold=True, hindi=L.hindi), widths[0])]
                + [str(r[k]) for k in ("boys", "girls", "other", "total")],
                "total",
            )
        )
        spec = TableSpec(header, widths, ["LEFT"] + ["RIGHT"] * 4, 7)
        series = [[s["boys"] for s in rows_in], [s["girls"] for s in rows_in]]
        names = [L("boys"), L("girls")]
        if any(s["other"] for s in rows_in):
            series.append([s["other"] for s in rows_in])
            names.append(L("other"))
        chart = BarChart(
            [L.state(s["state"], s["state_hi"]) for s in rows_in],
            series,
            names,
            self.body,
            height=175,
        )
        return out + [
            ListTable(spec, rows),
            Spacer(1, 8),
            KeepTogether(
                [
                    TextBox(L("chart_states"), TextStyle(size=8.5, bold=True, hindi=L.hindi), 2),
                    chart,
                ]
            ),
        ]

    def districts(self) -> list[Any]:
        L, d = self.L, self.data
        out = self.title(L("districts_title"))
        spec = self.figures_spec([("district", 2.4)])
        w0 = spec.widths[0]
        rows = [
            Row([cell(L.district(r["district"]), self.small, w0)] + self.figures(r))
            for r in d["districts"]
        ]
        bold = TextStyle(size=7, bold=True, hindi=L.hindi)
        rows.append(Row([cell(L("total"), bold, w0)] + self.figures(d["totals"]), "total"))
        out.append(ListTable(spec, rows))
        if d["districts"]:
            chart = BarChart(
                [L.district(r["district"]) for r in d["districts"]],
                [[r[k] for r in d["districts"]] for k in ("reported", "recovered", "pending")],
                [L("reported"), L("recovered"), L("pending")],
                self.body,
            )
            caption = TextBox(
                L("chart_districts"), TextStyle(size=8.5, bold=True, hindi=L.hindi), 2
            )
            out += [Spacer(1, 8), KeepTogether([caption, chart])]
        return out

    def stations(self) -> list[Any]:
        L, d = self.L, self.data
        out = self.title(L("stations_title"))
        if not d["stations"]:
            return out + [self.none()]
        spec = self.figures_spec([("subdivision", 1.45), ("station", 1.45)])
        w = spec.widths
        rows: list[Row] = []
        current = object()
        for r in d["stations"]:
            if r["district"] != current:
                current = r["district"]
                bold = TextStyle(size=7, bold=True, hindi=L.hindi)
                rows.append(Row([TextBox(L.district(r["district"]), bold)] + [""] * 10, "group"))
            rows.append(
                Row(
                    [
                        cell(L.place(r["subdivision"], r["subdivision_hi"]), self.small, w[0]),
                        cell(L.place(r["station"], r["station_hi"]), self.small, w[1]),
                    ]
                    + self.figures(r)
                )
            )
        return out + [ListTable(spec, rows)]

    def interstate(self) -> list[Any]:
        L, items = self.L, self.data["located_not_recovered"]
        out = self.title(L("interstate_title"))
        if not items:
            return out + [self.none()]
        widths = _widths(0.55, 2.9, 0.95, 1.45, 1.15, 1.9, 1.05, 1.35)
        keys = ("no", "child", "age_sex", "district", "state", "place", "since", "io")
        header = [[cell(L(k), self.head, w) for k, w in zip(keys, widths, strict=True)]]
        self.n = 0
        st = self.small
        rows = [
            Row(
                [
                    self.numbered(),
                    self.child_cell(x, widths[1]),
                    cell(L.age_sex(x["age"], x["sex"]), st, widths[2]),
                    cell(L.district(x["district"]), st, widths[3]),
                    cell(L.state(x["state"]), st, widths[4]),
                    cell(x["place"], st, widths[5]),
                    date_text(x["since"]),
                    cell(x["investigating_officer"], st, widths[7]),
                ]
            )
            for x in items
        ]
        aligns = ["RIGHT"] + ["LEFT"] * 7
        return out + [ListTable(TableSpec(header, widths, aligns, 7), rows)]

    def case_list(
        self, key: str, title: str, extra: list[tuple[str, Callable[[dict[str, Any]], str]]]
    ) -> list[Any]:
        """One line a case: number, case id, child, age/sex, district, dates, officer."""
        L, items = self.L, self.data[key]
        out = self.title(L(title))
        if not items:
            return out + [self.none()]
        st = self.small
        idw = max(text_width(x["case_id"], st) for x in items) + 2 * PAD + 2
        widths = _widths(0.5, 2.0, 1.0, 1.55, *([1.0] * len(extra)), 1.45, total=FRAME_WIDTH - idw)
        widths.insert(1, idw)
        keys = ["no", "case", "child", "age_sex", "district"] + [k for k, _ in extra] + ["io"]
        header = [[cell(L(k), self.head, w) for k, w in zip(keys, widths, strict=True)]]
        self.n = 0
        rows = [
            Row(
                [
                    self.numbered(),
                    x["case_id"],
                    cell(L.name(x["name"], x.get("name_deva")), st, widths[2]),
                    cell(L.age_sex(x["age"], x["sex"]), st, widths[3]),
                    cell(L.district(x["district"]), st, widths[4]),
                    *[f(x) for _, f in extra],
                    cell(x["investigating_officer"], st, widths[-1]),
                ]
            )
            for x in items
        ]
        aligns = ["RIGHT"] + ["LEFT"] * (len(keys) - 1)
        return out + [ListTable(TableSpec(header, widths, aligns, 7, pad=1.4), rows)]

    def escalation(self) -> list[Any]:
        """Complete but compact: one line a case, grouped by district."""
        L, items = self.L, self.data["escalation_due"]
        out = self.title(L("escalation_title"))
        if not items:
            return out + [self.none()]
        out.append(TextBox(L("escalation_note", n=len(items)), self.small, space_after=4))
        st = self.tiny
        idw = max(text_width(x["case_id"], st) for x in items) + 2 * PAD + 2
        widths = _widths(0.62, 2.0, 0.85, 0.95, 0.75, 1.55, 1.45, total=FRAME_WIDTH - idw)
        widths.insert(1, idw)
        keys = ("no", "case", "child", "age_sex", "reported_on", "days_missing", "reason", "io")
        head = TextStyle(size=6.5, hindi=L.hindi, bold=True, align="center")
        header = [[cell(L(k), head, w) for k, w in zip(keys, widths, strict=True)]]
        by_district: dict[str | None, int] = {}
        for x in items:
            by_district[x["district"]] = by_district.get(x["district"], 0) + 1
        rows: list[Row] = []
        current: Any = object()
        reasons = {r: L(f"reason_{r}") for r in ("suspected_trafficking", "missing_over_4_months")}
        bold = TextStyle(size=6.5, bold=True, hindi=L.hindi)
        self.n = 0
        for x in items:
            if x["district"] != current:
                current = x["district"]
                n = by_district[current]
                label = L("n_cases" if n != 1 else "n_case", name=L.district(current), n=n)
                rows.append(Row([TextBox(label, bold)] + [""] * 7, "group"))
            rows.append(
                Row(
                    [
                        self.numbered(),
                        x["case_id"],
                        cell(L.name(x["name"], x.get("name_deva")), st, widths[2]),
                        cell(L.age_sex(x["age"], x["sex"]), st, widths[3]),
                        date_text(x["reported_on"]),
                        str(x["days_missing"]),
                        cell(reasons.get(x["reason"], x["reason"]), st, widths[6]),
                        cell(x["investigating_officer"], st, widths[7]),
                    ]
                )
            )
        aligns = ["RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "LEFT", "LEFT"]
        return out + [ListTable(TableSpec(header, widths, aligns, 6.3, pad=1.2), rows)]

    def story(self) -> list[Any]:
        d = self.data
        reported = ("reported_on", lambda x: date_text(x["reported_on"]))
        return [
            *self.headline(),
            *self.states(),
            *self.districts(),
            *self.stations(),
            *self.interstate(),
            *self.case_list("trafficking", "trafficking_title", [reported]),
            *self.escalation(),
            *self.case_list(
                "long_pending_traced",
                "long_pending_title",
                [reported, ("recovered_on", lambda x: date_text(x["recovered_on"]))],
            ),
        ] + ([] if d else [])


def build_review(
    data: dict[str, Any], ctx: Context, labels: Labels, path: Path, on_page: Callable[[int], None]
) -> None:
    rb = ReviewBuilder(data, ctx, labels)
    doc = new_document(path, labels("review_title"), ctx.actor)
    build(doc, rb.story(), partial(PagedCanvas, decorate=rb.decorate, on_page=on_page))
