"""PDF reports: generated for real, then opened and read back (pypdf) and rendered (pdftoppm)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from PIL import Image
from sqlalchemy import select

from muskan_desktop import reports, reports_review
from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context
from muskan_desktop.demo import DemoGenerator
from muskan_desktop.errors import MuskanError, NotFoundError, ValidationError
from muskan_desktop.ids import new_id
from muskan_desktop.models import AuditEvent, MatchCandidate, MatchVerdict
from muskan_desktop.photos import PhotoService
from muskan_desktop.reports import ReportCancelled
from muskan_desktop.stats import PENDING_AGE, review_stats

from .conftest import shared_dir

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
ENV = {**os.environ}


# -- helpers -------------------------------------------------------------------------------
def pages(path: Path) -> list[str]:
    """Each page's text with whitespace runs collapsed to one space."""
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages]


def fonts(path: Path) -> dict[str, bool]:
    """BaseFont name -> embedded, over all pages."""
    out: dict[str, bool] = {}
    for page in pypdf.PdfReader(path).pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            f = ref.get_object()
            desc = f.get("/FontDescriptor")
            out[str(f["/BaseFont"])] = bool(desc and "/FontFile2" in desc.get_object())
    return out


def images(path: Path, page: int = 0) -> int:
    xobjects = pypdf.PdfReader(path).pages[page]["/Resources"].get("/XObject") or {}
    return sum(1 for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image")


def render(path: Path, out_prefix: Path) -> Path:
    """Page 1 as PNG through poppler's pdftoppm (Debian: poppler-utils)."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        if os.environ.get("CI"):
            raise AssertionError("pdftoppm missing: install poppler-utils")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(
        [exe, "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", str(path), str(out_prefix)],
        check=True,
        timeout=60,
    )
    return out_prefix.with_suffix(".png")


def audit_rows(ctx: Context, action: str) -> list[AuditEvent]:
    with ctx.db.read() as s:
        rows = list(
            s.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
            )
        )
        s.expunge_all()
    return rows


def add(svc: CaseService, reported: str, sex: str = "F", district: str = "Surguja", **kw) -> str:
    fields = {"kind": "missing", "sex": sex, "age_years": 12, "reported_on": reported, **kw}
    fields.setdefault("name_latin", "Child")
    return svc.create(fields, district=district).id


# -- a register whose figures are known ----------------------------------------------------
@pytest.fixture
def register(ctx: Context) -> dict[str, str]:
    svc = CaseService(ctx)
    a = add(svc, "2026-09-01", name_latin="Sunita Rajwade", name_deva="सुनीता रजवाड़े")
    svc.transition(
        a,
        "trace",
        {"located_state": "Delhi", "located_place": "Anand Vihar", "located_on": "2026-10-05"},
    )
    svc.transition(a, "recover", {"recovered_on": "2026-10-10"})
    svc.transition(a, "restore", {"restored_on": "2026-10-12", "restored_to": "Father"})
    b = add(svc, "2025-06-01", sex="M", district="Jashpur", name_latin="Prakash", name_deva="प्रकाश")
    svc.transition(b, "recover", {"recovered_on": "2026-10-20", "located_state": "Gujarat"})
    c = add(
        svc,
        "2026-10-03",
        category="trafficking",
        name_latin="Kshama Ekka",
        name_deva="क्षमा एक्का",
        investigating_officer="SI R. K. Paikra",
    )
    svc.transition(
        c,
        "trace",
        {"located_state": "Maharashtra", "located_place": "Pune", "located_on": "2026-10-25"},
    )
    d = add(svc, "2025-01-15", district="Jashpur", name_latin=None, name_deva="राष्ट्रपाल")
    add(svc, "2026-11-01")  # after the period: not counted
    return {"restored": a, "long_pending": b, "interstate": c, "escalate": d}


@pytest.fixture
def review(ctx: Context, register: dict[str, str], tmp_path: Path):
    def make(lang: str, district: str | None = None) -> Path:
        out = tmp_path / f"review-{lang}.pdf"
        assert reports.review_report(ctx, *OCT, district, lang, out) == out
        return out

    return make


# -- the review ----------------------------------------------------------------------------
def test_english_review_prints_the_stats_figures(ctx, review):
    out = review("en")
    text = pages(out)
    whole = " ".join(text)
    data = review_stats(ctx, *OCT, record=False)
    r = data["recovered"]
    m = re.search(r"Children recovered in the period: (\d+) \(boys (\d+), girls (\d+)\)", whole)
    assert m and tuple(map(int, m.groups())) == (r["total"], r["boys"], r["girls"]) == (2, 1, 1)
    m = re.search(r"Recovered from (\d+) states — (\d+) of them outside Chhattisgarh", whole)
    assert m and tuple(map(int, m.groups())) == (r["states"], r["other_states"])
    for s in data["recovered_from_states"]:
        assert f"{s['state']} {s['boys']} {s['girls']} {s['other']} {s['total']}" in whole

    def figures(row):
        return " ".join(
            [str(row[k]) for k in ("reported", "traced", "recovered", "restored", "pending")]
            + [str(row["pending_by_age"][a]) for a in PENDING_AGE]
        )

    assert f"Total {figures(data['totals'])}" in whole  # every number of the totals row
    for d in data["districts"]:
        assert f"{d['district']} {figures(d)}" in whole
    for st in data["stations"]:
        assert f"{st['subdivision']} {st['station']} {figures(st)}" in whole
    m = re.search(r"Pending at the end of the period: (\d+)", whole)
    assert m and int(m.group(1)) == data["totals"]["pending"]
    assert "Anand Vihar" not in whole  # recovered: not on the inter-state list
    assert "Pune" in whole and "Maharashtra" in whole  # located, not yet recovered
    assert "Over 4 months" in whole and "Trafficking suspected" in whole
    assert all(x["case_id"] in whole for x in data["escalation_due"])
    assert "Prakash" in whole  # long-pending, recovered in the period
    n = len(text)
    assert n >= 2
    for i, page in enumerate(text, 1):
        assert f"Page {i} of {n}" in page
        assert "Generated by SI Test on 01-11-2026" in page
        assert "Surguja Range, all districts" in page
        assert "Period 01-10-2026 to 31-10-2026" in page
    assert any("NotoSans-Regular" in f for f in fonts(out))


def test_hindi_review_is_shaped_searchable_and_embedded(ctx, review, tmp_path):
    out = review("hi")
    text = pages(out)
    whole = " ".join(text)
    data = review_stats(ctx, *OCT, record=False)
    # headline and tables in Hindi, figures as in the stats
    assert "अवधि में दस्तयाब बच्चे: 2 (बालक 1, बालिका 1)" in whole
    for word in ("दिल्ली", "गुजरात", "महाराष्ट्र", "सरगुजा", "जशपुर", "गुमशुदा", "लंबित"):
        assert word in whole, word
    for word in ("प्रकाश", "क्षमा एक्का", "राष्ट्रपाल", "विवेचक"):
        assert word in whole, word  # conjuncts (प्र, क्ष, ष्ट्र, क्क) read back in logical order
    t = data["totals"]
    row = [t[k] for k in ("reported", "traced", "recovered", "restored", "pending")]
    row += [t["pending_by_age"][a] for a in PENDING_AGE]
    assert "योग " + " ".join(map(str, row)) in whole
    assert "एएचटीयू" in whole and "मानव तस्करी" in whole
    n = len(text)
    for i, page in enumerate(text, 1):
        assert f"पृष्ठ {i} / {n}" in page
        assert "SI Test द्वारा तैयार, दिनांक 01-11-2026" in page
        assert "अवधि 01-10-2026 से 31-10-2026 तक" in page
        assert "सरगुजा रेंज, सभी जिले" in page
    embedded = fonts(out)
    deva = [name for name in embedded if "NotoSansDevanagari" in name]
    assert deva and all(embedded[name] for name in deva)
    assert all(embedded.values()), embedded  # no font left to the viewer
    png = render(out, tmp_path / "page1")
    with Image.open(png) as im:
        lo, hi = im.convert("L").getextrema()
        assert im.width > 300 and lo < 100 and hi == 255  # ink on white


def test_district_review_and_bad_arguments(ctx, register, tmp_path):
    out = tmp_path / "jashpur.pdf"
    reports.review_report(ctx, *OCT, "जशपुर", "en", out)  # a district in either script
    whole = " ".join(pages(out))
    assert "Surguja Range, district Jashpur" in whole
    assert "Children recovered in the period: 1 (boys 1, girls 0)" in whole
    assert "Sunita" not in whole and "Delhi" not in whole
    with pytest.raises(ValidationError, match="district"):
        reports.review_report(ctx, *OCT, "Raipur", "en", tmp_path / "x.pdf")
    with pytest.raises(ValidationError, match="lang"):
        reports.review_report(ctx, *OCT, None, "fr", tmp_path / "x.pdf")
    with pytest.raises(ValidationError, match="ends before"):
        reports.review_report(ctx, OCT[1], OCT[0], None, "en", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_every_export_is_audited_with_the_file_name_only(ctx, review):
    out = review("hi")
    (row,) = audit_rows(ctx, "report_review")
    assert row.actor == "SI Test"
    assert row.details == {
        "file": out.name,
        "lang": "hi",
        "date_from": "2026-10-01",
        "date_to": "2026-10-31",
        "district": None,
    }
    assert not audit_rows(ctx, "stats")  # the export is the one record of it


def test_long_lists_are_complete_and_split_with_their_header(ctx, tmp_path):
    DemoGenerator(ctx, seed=3).generate(1500)
    period = (dt.date(2025, 11, 1), dt.date(2026, 10, 31))
    out = tmp_path / "year.pdf"
    seen: list[tuple[int, int]] = []
    reports.review_report(ctx, *period, None, "en", out, progress=lambda d, t: seen.append((d, t)))
    data = review_stats(ctx, *period, record=False)
    text = pages(out)
    whole = " ".join(text)
    assert len(data["escalation_due"]) > 100 and len(data["located_not_recovered"]) > 20
    for key in ("located_not_recovered", "trafficking", "escalation_due"):
        missing = [x["case_id"] for x in data[key] if x["case_id"] not in whole]
        assert not missing, f"{key}: {len(missing)} cases not printed"
    # the long lists run over pages, each page repeating the column heads

    def section(title: str, next_title: str) -> list[str]:
        first = next(i for i, p in enumerate(text) if title in p)
        following = next(i for i, p in enumerate(text) if next_title in p)
        return text[first:following]

    esc = section("Cases due for escalation", "Long-pending cases")
    assert len(esc) >= 2 and all("Days missing" in p and "Reason" in p for p in esc)
    inter = section("Children located in other states", "Suspected trafficking cases")
    assert len(inter) >= 2 and all("Located on" in p for p in inter)
    assert seen[-1][0] == seen[-1][1] and all(a <= b for a, b in seen)


def test_a_failed_or_cancelled_report_leaves_nothing(ctx, register, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "review.pdf"
    out.write_bytes(b"the previous report")

    def boom(data, ctx, labels, path, on_page):
        path.write_bytes(b"%PDF-1.4 half written")
        raise RuntimeError("disk went away")

    monkeypatch.setattr(reports_review, "build_review", boom)
    with pytest.raises(RuntimeError):
        reports.review_report(ctx, *OCT, None, "en", out)
    monkeypatch.undo()
    assert out.read_bytes() == b"the previous report"
    assert [p.name for p in folder.iterdir()] == ["review.pdf"]
    with pytest.raises(ReportCancelled):
        reports.review_report(ctx, *OCT, None, "en", folder / "new.pdf", cancel=lambda: True)
    assert [p.name for p in folder.iterdir()] == ["review.pdf"]
    assert not audit_rows(ctx, "report_review")


def test_unwritable_target_is_a_plain_error(ctx, register, tmp_path):
    with pytest.raises(MuskanError, match="does not exist"):
        reports.review_report(ctx, *OCT, None, "en", tmp_path / "nowhere" / "r.pdf")
    with pytest.raises(MuskanError, match="is a folder"):
        reports.review_report(ctx, *OCT, None, "en", tmp_path)


@pytest.mark.parametrize(
    "words",
    [
        "गुमशुदा दस्तयाब सुपुर्द लंबित विवेचक अनुभाग",
        "महाराष्ट्र क्षमा प्रकाश श्री ज्ञान द्वारा त्र्यंबक पृष्ठ",
        "किशोरी कुमार रजवाड़े छत्तीसगढ़ सौंपे बच्चों एएचटीयू",
        "Anand Vihar से Ramesh कुमार (SI A. Singh) 12/F",
    ],
)
def test_devanagari_reads_back_as_typed(tmp_path, words):
    from reportlab.platypus import SimpleDocTemplate

    from muskan_desktop.reports_text import TextBox, TextStyle

    out = tmp_path / "words.pdf"
    SimpleDocTemplate(str(out)).build([TextBox(words, TextStyle(size=12, hindi=True))])
    assert pages(out) == [words]


# -- the notice ----------------------------------------------------------------------------
@pytest.fixture
def faces() -> Path:
    return shared_dir() / "data" / "faces"


@pytest.fixture
def missing_child(ctx: Context) -> str:
    return (
        CaseService(ctx)
        .create(
            {
                "kind": "missing",
                "name_latin": "Sunita Rajwade",
                "name_deva": "सुनीता रजवाड़े",
                "sex": "F",
                "age_years": 12,
                "reported_on": "2026-10-03",
                "height_cm": 132,
                "identification_marks": "mole on the left cheek",
                "clothing": "pink salwar kameez",
                "last_seen_on": "2026-10-02",
                "last_seen_place": "Ambikapur bus stand",
                "fir_number": "FIR-4471/2026",
                "gd_number": "GD-88/2026",
                "circumstances": "went to the market with a neighbour",
                "guardian_name": "Ramesh Rajwade",
                "guardian_phone": "9876543210",
                "investigating_officer": "SI A. Singh",
            },
            district="Surguja",
        )
        .id
    )


def test_notice_of_a_missing_child(ctx, missing_child, faces, tmp_path):
    PhotoService(ctx).add(missing_child, faces / "obama.jpg")
    out = tmp_path / "notice.pdf"
    reports.notice(ctx, missing_child, "hi", out)
    (text,) = pages(out)  # one page
    assert "गुमशुदा बालिका" in text and "सुनीता रजवाड़े" in text and "Sunita Rajwade" in text
    assert "लगभग 12 वर्ष" in text and "132 से.मी." in text and "mole on the left cheek" in text
    assert "Ambikapur bus stand" in text and "02-10-2026" in text
    assert "थाना अम्बिकापुर, जिला सरगुजा" in text and "1098" in text
    for secret in ("4471", "GD-88", "market", "Ramesh", "9876543210", "SI A. Singh"):
        assert secret not in text, secret
    assert images(out) == 1
    reports.notice(ctx, missing_child, "en", out, with_guardian_phone=True)
    (text,) = pages(out)
    assert "MISSING GIRL" in text and "9876543210" in text and "4471" not in text
    rows = audit_rows(ctx, "report_notice")
    assert [(r.entity, r.entity_id, r.details["guardian_phone"]) for r in rows] == [
        ("case", missing_child, False),
        ("case", missing_child, True),
    ]
    assert {r.details["file"] for r in rows} == {"notice.pdf"}


def test_notice_stays_on_one_page_and_refuses_what_it_should(ctx, tmp_path):
    svc = CaseService(ctx)
    long_case = add(
        svc, "2026-10-01", identification_marks="scar " * 190, clothing="blue shirt " * 90
    )
    out = tmp_path / "n.pdf"
    reports.notice(ctx, long_case, "en", out)
    assert len(pages(out)) == 1 and images(out) == 0  # no photo: a placeholder, no image
    assert "No photo on record" in pages(out)[0]
    with pytest.raises(NotFoundError):
        reports.notice(ctx, "no-such-case", "en", tmp_path / "x.pdf")
    svc.transition(long_case, "recover", {"recovered_on": "2026-10-20"})
    with pytest.raises(MuskanError, match="still missing"):
        reports.notice(ctx, long_case, "en", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_notice_of_a_found_child(ctx, faces, tmp_path):
    found = (
        CaseService(ctx)
        .create(
            {
                "kind": "found",
                "name_latin": "Sunita",
                "sex": "F",
                "age_years": 11,
                "found_place": "New Delhi railway station",
                "cci_name": "Children's Home for Girls, Delhi",
                "cci_address": "Plot 7, Lane 3, Delhi",
                "cwc_order": "CWC/77/2026",
            },
            district="Surguja",
        )
        .id
    )
    PhotoService(ctx).add(found, faces / "obama2.jpg")
    out = tmp_path / "found.pdf"
    reports.notice(ctx, found, "hi", out)
    (text,) = pages(out)
    assert "पाया गया बच्चा" in text and "क्या आप इस बच्चे को पहचानते हैं" in text
    assert "New Delhi railway station" in text and "Children's Home for Girls" in text
    assert "CWC/77" not in text and "Plot 7" not in text
    assert images(out) == 1


# -- the match sheet -----------------------------------------------------------------------
def _candidate(ctx: Context, faces: Path, missing_child: str, status: str) -> str:
    found = (
        CaseService(ctx)
        .create(
            {"kind": "found", "name_latin": "Sunita", "sex": "F", "age_years": 12},
            district="Surguja",
        )
        .id
    )
    photos = PhotoService(ctx)
    m = photos.add(missing_child, faces / "obama.jpg")
    f = photos.add(found, faces / "obama2.jpg")
    cid = new_id()
    with ctx.db.write() as s:
        s.add(
            MatchCandidate(
                id=cid,
                missing_case_id=missing_child,
                found_case_id=found,
                missing_photo_sha=m.sha256,
                found_photo_sha=f.sha256,
                distance=0.3127,
                score=0.88,
                reasons=["face_distance", "same_sex"],
                status=status,
                created_at=ctx.clock(),
            )
        )
        s.flush()
        if status == "confirmed":
            s.add(
                MatchVerdict(
                    id=new_id(),
                    candidate_id=cid,
                    verdict="confirmed",
                    note="Mother knew her at once; mole on the cheek matches.",
                    by="SI Test",
                    at=ctx.clock(),
                )
            )
    return cid


def test_match_sheet_of_a_confirmed_match(ctx, missing_child, faces, tmp_path):
    cid = _candidate(ctx, faces, missing_child, "confirmed")
    out = tmp_path / "match.pdf"
    reports.match_sheet(ctx, cid, "en", out)
    (text,) = pages(out)
    assert images(out) == 2
    assert "0.313" in text and "Mother knew her at once; mole on the cheek matches." in text
    assert "Confirmed" in text and "Sunita Rajwade" in text
    assert missing_child in "".join(text.split())  # a long id may wrap across lines
    reports.match_sheet(ctx, cid, "hi", out)
    (text,) = pages(out)
    assert "चेहरा मिलान पुष्टि पत्रक" in text and "पुष्टि की गई" in text and "0.313" in text
    rows = audit_rows(ctx, "report_match")
    assert [(r.entity, r.entity_id, r.details["lang"]) for r in rows] == [
        ("match_candidate", cid, "en"),
        ("match_candidate", cid, "hi"),
    ]


def test_match_sheet_refuses_an_unconfirmed_match(ctx, missing_child, faces, tmp_path):
    cid = _candidate(ctx, faces, missing_child, "open")
    with pytest.raises(MuskanError, match="not confirmed"):
        reports.match_sheet(ctx, cid, "en", tmp_path / "m.pdf")
    with pytest.raises(NotFoundError):
        reports.match_sheet(ctx, "nope", "en", tmp_path / "m.pdf")
    assert not list(tmp_path.glob("*m.pdf*"))


# -- the command line ----------------------------------------------------------------------
def muskan(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "muskan_desktop.cli", "--home", str(home), "--officer", "HC Cli"]
        + list(args),
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_review_and_notice(ctx, register, home, tmp_path):
    out = tmp_path / "X.pdf"
    period = ["--from", "2026-10-01", "--to", "2026-10-31"]
    r = muskan(home, "report", "review", *period, "--lang", "hi", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "पृष्ठ 1 /" in pages(out)[0] and "HC Cli द्वारा तैयार" in pages(out)[0]
    r = muskan(
        home,
        "report",
        "review",
        "--from",
        "2026-13-01",
        "--to",
        "2026-10-31",
        "--lang",
        "en",
        "--out",
        str(tmp_path / "bad.pdf"),
    )
    assert r.returncode == 2 and "2026-13-01" in r.stderr
    bad = tmp_path / "no-such-folder" / "r.pdf"
    r = muskan(home, "report", "review", *period, "--lang", "en", "--out", str(bad))
    assert r.returncode == 1 and "does not exist" in r.stderr and "Traceback" not in r.stderr
    assert not bad.parent.exists()
    r = muskan(
        home,
        "report",
        "review",
        *period,
        "--district",
        "Raipur",
        "--lang",
        "en",
        "--out",
        str(tmp_path / "d.pdf"),
    )
    assert r.returncode == 2 and "Raipur" in r.stderr
    notice = tmp_path / "notice.pdf"
    r = muskan(home, "report", "notice", register["escalate"], "--lang", "en", "--out", str(notice))
    assert r.returncode == 0, r.stderr
    assert len(pages(notice)) == 1
    r = muskan(home, "report", "notice", "no-such-id", "--lang", "en", "--out", str(notice))
    assert r.returncode == 3 and "no-such-id" in r.stderr
    r = muskan(
        tmp_path / "empty-home",
        "report",
        "review",
        *period,
        "--lang",
        "en",
        "--out",
        str(tmp_path / "e.pdf"),
    )
    assert r.returncode != 0 and not (tmp_path / "empty-home" / "muskan.db").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == [
        "X.pdf",
        "notice.pdf",
    ]


def test_the_command_line_does_not_load_reportlab():
    code = (
        "import sys, muskan_desktop.cli as c; c.build_parser(); "
        "import muskan_desktop.reports; "
        "print(sorted(m for m in sys.modules if m.startswith(('reportlab', 'uharfbuzz'))))"
    )
    r = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_an_empty_period_says_so(ctx, register, tmp_path):
    import datetime as dt

    from pypdf import PdfReader

    from muskan_desktop.reports import review_report

    out = review_report(
        ctx, dt.date(2020, 1, 1), dt.date(2020, 1, 31), None, "en", tmp_path / "empty.pdf"
    )
    text = PdfReader(str(out)).pages[0].extract_text()
    assert "Children recovered in the period: 0" in text
    assert text.count("None.") >= 4  # each list says it is empty rather than vanishing
