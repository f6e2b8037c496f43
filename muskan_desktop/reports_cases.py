"""One-page PDFs about one child: the notice for circulation, and the match sheet.

A notice is for the public: it carries what helps someone recognise the child and whom to
call, and leaves out the FIR, the circumstances, the investigation and the family's details
(the family's phone only when the officer chooses to print it).
"""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepInFrame, Spacer, Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from .context import Context
from .domain import Kind, Status, Verdict
from .errors import MuskanError, NotFoundError
from .models import Case, MatchCandidate, MatchVerdict, Photo, Station
from .photos import PhotoStore, load_photo
from .reports import Labels, date_text, export, local_time
from .reports_layout import (
    BOTTOM,
    FRAME_WIDTH,
    INSET,
    PAGE,
    TOP,
    PagedCanvas,
    atomic_target,
    build,
    grid,
    new_document,
)
from .reports_text import BUILD_LOCK, TextBox, TextStyle, draw_text

RED = colors.HexColor("#b3261e")
BLUE = colors.HexColor("#2f6690")
LIGHT = colors.HexColor("#f3f5f8")
FRAME_HEIGHT = PAGE[1] - TOP - BOTTOM - 12
PHOTO_W, PHOTO_H = 80 * mm, 104 * mm
NOTICE_STATUSES = {
    Kind.MISSING.value: {Status.MISSING.value, Status.TRACED.value},
    Kind.FOUND.value: {Status.REGISTERED.value},
}


def _photo_flowable(ctx: Context, sha: str | None, max_w: float, max_h: float) -> Any:
    """The photo, upright and scaled for print (an original can be 25 MB), or None."""
    if not sha:
        return None
    data = PhotoStore(ctx.home).read(sha)
    img = load_photo(data).image
    img.thumbnail((1200, 1200))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    buf.seek(0)
    k = min(max_w / img.width, max_h / img.height)
    return Image(buf, width=img.width * k, height=img.height * k)


def _photo_box(photo: Any, labels: Labels, w: float, h: float) -> Table:
    inner = photo or TextBox(
        labels("no_photo"), TextStyle(size=10, hindi=labels.hindi, align="center")
    )
    return grid(
        [[inner]],
        colWidths=[w],
        rowHeights=[h],
        style=[
            ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#777777")),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, -1), LIGHT if photo is None else colors.white),
        ],
    )


def _facts(
    rows: list[tuple[str, str | None]], labels: Labels, width: float, size: float, kw: float
) -> Table:
    """Label: value lines, leaving out what was not recorded."""
    key = TextStyle(size=size, hindi=labels.hindi, bold=True)
    val = TextStyle(size=size, hindi=labels.hindi)
    data = [[TextBox(k, key), TextBox(v, val)] for k, v in rows if v not in (None, "")]
    if not data:
        return grid([[""]], style=[])
    return grid(
        data,
        colWidths=[kw, width - kw],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#d0d0d0")),
        ],
    )


def _age(case: Case, labels: Labels) -> str | None:
    if case.age_years is None:
        return None
    key = "about" if case.age_is_estimate else "years"
    return labels(key, n=case.age_years)


def _newest_photo(s: Session, case_id: str) -> str | None:
    return s.scalar(
        select(Photo.sha256)
        .where(Photo.case_id == case_id)
        .order_by(Photo.taken_on.is_(None), Photo.taken_on.desc(), Photo.added_at.desc())
        .limit(1)
    )


def _one_page(
    ctx: Context, labels: Labels, title: str, story: list[Any], path: Path, footer: str
) -> None:
    """Everything shrunk to fit one page, with the issuing line at its foot."""

    def decorate(canv: Any, n: int, total: int) -> None:
        style = TextStyle(size=7.5, hindi=labels.hindi, color=colors.HexColor("#444444"))
        draw_text(canv, INSET, 9 * mm, footer, style)
        generated = labels("generated", who=ctx.actor, when=local_time(ctx.clock()))
        draw_text(canv, INSET, 5.5 * mm, generated, style)

    doc = new_document(path, title, ctx.actor)
    frame = KeepInFrame(FRAME_WIDTH, FRAME_HEIGHT, story, mode="shrink")
    with BUILD_LOCK:
        build(doc, [frame], partial(PagedCanvas, decorate=decorate))


# -- the notice -----------------------------------------------------------------------------


def build_notice(
    ctx: Context, case_id: str, labels: Labels, out: Path, with_guardian_phone: bool
) -> Path:
    L = labels
    with ctx.db.read() as s:
        case = s.get(Case, case_id.strip()) if case_id else None
        if case is None:
            raise NotFoundError(f"No case with id {case_id!r} in this register.")
        if case.status not in NOTICE_STATUSES[case.kind]:
            what = (
                "a child still missing"
                if case.kind == Kind.MISSING.value
                else "a found child whose family is not yet known"
            )
            raise MuskanError(
                f"Case {case.id} is {case.status}: a notice is printed only for {what}."
            )
        station = s.get(Station, case.station_id)
        sha = _newest_photo(s, case.id)
        s.expunge_all()
    missing = case.kind == Kind.MISSING.value
    with atomic_target(out) as tmp:
        photo = _photo_flowable(ctx, sha, PHOTO_W - 2, PHOTO_H - 2)
        story = _notice_story(case, station, photo, L, missing, with_guardian_phone)
        footer = L("issued", date=date_text(ctx.today()), ref=case.id)
        title = L(f"notice_missing_{case.sex}") if missing else L("notice_found")
        _one_page(ctx, L, title, story, tmp, footer)
        export(
            ctx,
            tmp,
            out,
            "report_notice",
            "case",
            case.id,
            lang=L.lang,
            kind=case.kind,
            guardian_phone=bool(with_guardian_phone and missing and case.guardian_phone),
        )
    return out


def _notice_story(
    case: Case,
    station: Station | None,
    photo: Any,
    L: Labels,
    missing: bool,
    with_guardian_phone: bool,
) -> list[Any]:
    h = L.hindi
    title = L(f"notice_missing_{case.sex}") if missing else L("notice_found")
    ask = L("notice_ask") if missing else L("notice_found_ask")
    banner = grid(
        [
            [
                TextBox(
                    title,
                    TextStyle(size=34, bold=True, hindi=h, color=colors.white, align="center"),
                )
            ],
            [TextBox(ask, TextStyle(size=17, hindi=h, color=colors.white, align="center"))],
        ],
        colWidths=[FRAME_WIDTH],
        style=[
            ("BACKGROUND", (0, 0), (-1, -1), RED if missing else BLUE),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
    )
    names = [
        n
        for n in ((case.name_deva, case.name_latin) if h else (case.name_latin, case.name_deva))
        if n
    ]
    right_w = FRAME_WIDTH - PHOTO_W - 6 * mm
    name_box = [TextBox(names[0] if names else "—", TextStyle(size=26, bold=True, hindi=h), 2)]
    if len(names) > 1:
        name_box.append(TextBox(names[1], TextStyle(size=17, hindi=h), 6))
    if not missing:
        name_box.insert(0, TextBox(L("name_given"), TextStyle(size=10, hindi=h), 1))
    facts = _facts(
        [
            (L("age"), _age(case, L)),
            (L("sex"), L(f"sex_word_{case.sex}")),
            (L("height"), L("cm", n=case.height_cm) if case.height_cm else None),
            (L("build"), case.build),
            (L("complexion"), case.complexion),
            (L("hair"), case.hair),
            (L("eyes"), case.eyes),
            (L("languages"), case.languages),
        ],
        L,
        right_w,
        12.5,
        32 * mm,
    )
    top = grid(
        [[_photo_box(photo, L, PHOTO_W, PHOTO_H), [*name_box, Spacer(1, 4), facts]]],
        colWidths=[PHOTO_W + 6 * mm, right_w],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    if missing:
        seen = ", ".join(
            x
            for x in (
                date_text(case.last_seen_on) if case.last_seen_on else None,
                case.last_seen_time,
                case.last_seen_place,
            )
            if x
        )
        more = [
            (L("marks"), case.identification_marks),
            (L("clothing"), case.clothing),
            (L("last_seen"), seen or None),
        ]
    else:
        cci = ", ".join(x for x in (case.cci_name, case.cci_contact) if x)
        more = [
            (L("marks"), case.identification_marks),
            (L("clothing_found"), case.clothing),
            (L("found_on"), date_text(case.found_on) if case.found_on else None),
            (L("found_at"), case.found_place),
            (L("cared_for"), cci or None),
        ]
    details = _facts(more, L, FRAME_WIDTH, 12.5, 52 * mm)
    contact = [
        TextBox(
            L("contact") if missing else L("contact_found"),
            TextStyle(size=12.5, hindi=h, bold=True),
            5,
        )
    ]
    if station is not None:
        st_name = station.name_hi if h and station.name_hi else station.name_en
        dist = station.district_hi if h and station.district_hi else station.district_en
        contact.append(
            TextBox(
                L("station_of", station=st_name, district=dist),
                TextStyle(size=18, bold=True, hindi=h),
                3,
            )
        )
        if station.phone:
            contact.append(
                TextBox(f"{L('phone')}: {station.phone}", TextStyle(size=18, bold=True, hindi=h), 3)
            )
    if missing and with_guardian_phone and case.guardian_phone:
        contact.append(
            TextBox(f"{L('family_phone')}: {case.guardian_phone}", TextStyle(size=15, hindi=h), 3)
        )
    contact.append(TextBox(L("helplines"), TextStyle(size=15, bold=True, hindi=h), 0))
    box = grid(
        [[contact]],
        colWidths=[FRAME_WIDTH],
        style=[
            ("BOX", (0, 0), (-1, -1), 1.2, RED if missing else BLUE),
            ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
        ],
    )
    return [banner, Spacer(1, 16), top, Spacer(1, 14), details, Spacer(1, 22), box]


# -- the match confirmation sheet -----------------------------------------------------------


def build_match_sheet(ctx: Context, candidate_id: str, labels: Labels, out: Path) -> Path:
    L = labels
    with ctx.db.read() as s:
        cand = s.get(MatchCandidate, candidate_id.strip()) if candidate_id else None
        if cand is None:
            raise NotFoundError(f"No match candidate with id {candidate_id!r} in this register.")
        verdict = s.scalar(
            select(MatchVerdict)
            .where(MatchVerdict.candidate_id == cand.id)
            .order_by(MatchVerdict.at.desc(), MatchVerdict.id.desc())
            .limit(1)
        )
        if (
            cand.status != Verdict.CONFIRMED.value
            or verdict is None
            or (verdict.verdict != Verdict.CONFIRMED.value)
        ):
            raise MuskanError(
                f"Match {cand.id} is {cand.status}, not confirmed: the sheet is printed only "
                "after an officer has confirmed the match."
            )
        missing = s.get(Case, cand.missing_case_id)
        found = s.get(Case, cand.found_case_id)
        assert missing is not None and found is not None  # foreign keys
        m_station = s.get(Station, missing.station_id)
        f_station = s.get(Station, found.station_id)
        s.expunge_all()
    with atomic_target(out) as tmp:
        side = (FRAME_WIDTH - 10) / 2
        photos = [
            _photo_flowable(ctx, sha, side - 8, 88 * mm)
            for sha in (cand.missing_photo_sha, cand.found_photo_sha)
        ]
        story = _match_story(cand, verdict, missing, found, m_station, f_station, photos, L)
        footer = L("match_ref", id=cand.id)
        _one_page(ctx, L, L("match_title"), story, tmp, footer)
        export(ctx, tmp, out, "report_match", "match_candidate", cand.id, lang=L.lang)
    return out


def _station_text(st: Station | None, L: Labels) -> str:
    if st is None:
        return "?"
    name = st.name_hi if L.hindi and st.name_hi else st.name_en
    dist = st.district_hi if L.hindi and st.district_hi else st.district_en
    return f"{name}, {dist}"


def _match_story(
    cand: MatchCandidate,
    verdict: MatchVerdict,
    missing: Case,
    found: Case,
    m_station: Station | None,
    f_station: Station | None,
    photos: list[Any],
    L: Labels,
) -> list[Any]:
    h = L.hindi
    side = (FRAME_WIDTH - 10) / 2
    head = TextStyle(size=11, bold=True, hindi=h)

    def column(case: Case, station: Station | None, photo: Any, heading: str) -> list[Any]:
        when = case.reported_on if case.kind == Kind.MISSING.value else case.found_on
        rows = [
            (L("name"), L.name(case.name_latin, case.name_deva)),
            (L("age"), _age(case, L)),
            (L("sex"), L(f"sex_word_{case.sex}")),
            (L("station"), _station_text(station, L)),
            (
                L("reported_on") if case.kind == Kind.MISSING.value else L("found_on"),
                date_text(when),
            ),
            (L("case"), case.id),
        ]
        if case.kind == Kind.FOUND.value:
            rows.insert(5, (L("found_at"), case.found_place))
            rows.insert(6, (L("cared_for"), case.cci_name))
        return [
            TextBox(heading, head, 4),
            _photo_box(photo, L, side - 2, 92 * mm),
            Spacer(1, 6),
            _facts(rows, L, side, 9, 27 * mm),
        ]

    pair = grid(
        [
            [
                column(missing, m_station, photos[0], L("missing_child")),
                column(found, f_station, photos[1], L("found_child")),
            ]
        ],
        colWidths=[side + 5, side + 5],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ],
    )
    verdict_facts = _facts(
        [
            (L("distance"), f"{cand.distance:.3f} ({L('distance_note')})"),
            (L("score"), f"{cand.score:.3f}"),
            (L("reasons"), ", ".join(str(r).replace("_", " ") for r in cand.reasons or [])),
            (
                L("verdict"),
                L("verdict_confirmed")
                + " — "
                + L("verdict_by", who=verdict.by, when=local_time(verdict.at)),
            ),
            (L("note"), verdict.note),
        ],
        L,
        FRAME_WIDTH,
        10,
        45 * mm,
    )
    sign = grid(
        [
            ["", "", ""],
            [
                TextBox(L("sign_officer"), TextStyle(size=9, hindi=h)),
                "",
                TextBox(L("sign_sho"), TextStyle(size=9, hindi=h)),
            ],
        ],
        colWidths=[FRAME_WIDTH * 0.4, FRAME_WIDTH * 0.2, FRAME_WIDTH * 0.4],
        rowHeights=[34, None],
        style=[
            ("LINEBELOW", (0, 0), (0, 0), 0.6, colors.black),
            ("LINEBELOW", (2, 0), (2, 0), 0.6, colors.black),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    return [
        TextBox(L("match_title"), TextStyle(size=18, bold=True, hindi=h), 8),
        pair,
        Spacer(1, 10),
        verdict_facts,
        Spacer(1, 8),
        TextBox(L("match_caution"), TextStyle(size=9, hindi=h, color=RED), 6),
        sign,
    ]
