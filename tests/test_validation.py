"""What an officer is told when a field is wrong: specific, per field, nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from muskan_desktop.cases import CaseService
from muskan_desktop.errors import ValidationError
from muskan_desktop.models import Case
from muskan_desktop.validation import check_field, clean_case, normalise_phone

TODAY = dt.date(2026, 11, 1)
BASE = {
    "kind": "missing",
    "name_latin": "Pooja Toppo",
    "sex": "F",
    "age_years": "11",
    "reported_on": "2026-10-10",
    "last_seen_on": "2026-10-09",
}


def errors(**changes):
    with pytest.raises(ValidationError) as e:
        clean_case({**BASE, **changes}, today=TODAY)
    return {(x.field, x.code): x.message for x in e.value.errors}


def test_a_good_report_passes_and_keeps_fir_as_text():
    out = clean_case(
        {**BASE, "fir_number": "0045/2026", "guardian_phone": "098261 23456"}, today=TODAY
    )
    assert out["fir_number"] == "0045/2026"
    assert out["guardian_phone"] == "+919826123456"
    assert out["last_seen_on"] == dt.date(2026, 10, 9)


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        ({"age_years": "18"}, ("age_years", "not_a_child"), "under 18 when missing"),
        ({"last_seen_on": "2026-12-01"}, ("last_seen_on", "future_date"), "in the future"),
        ({"last_seen_on": "2026-10-11"}, ("last_seen_on", "seen_after_report"), "after the report"),
        ({"last_seen_on": "2026-02-30"}, ("last_seen_on", "bad_date"), "not a real calendar date"),
        ({"reported_on": "10/10/2026"}, ("reported_on", "bad_date"), "YYYY-MM-DD"),
        ({"guardian_phone": "12345"}, ("guardian_phone", "bad_phone"), "too short"),
        ({"guardian_phone": "5826123456"}, ("guardian_phone", "bad_phone"), "not a valid Indian"),
        ({"guardian_phone": "+1 415 555 0100"}, ("guardian_phone", "bad_phone"), "not an Indian"),
        ({"sex": "Q"}, ("sex", "bad_enum"), "M, F, X"),
        ({"age_years": "twelve"}, ("age_years", "bad_int"), "not a whole number"),
        (
            {"date_of_birth": "2005-01-01", "age_years": None},
            ("age_years", "not_a_child"),
            "under 18",
        ),
        (
            {"date_of_birth": "2016-01-01", "age_years": "4"},
            ("age_years", "age_dob_mismatch"),
            "10 years",
        ),
        ({"fir_date": "2026-10-01"}, ("fir_date", "before_last_seen"), "before the date"),
        ({"name_latin": None}, ("name_latin", "required"), "name is required"),
        ({"last_seen_time": "25:00"}, ("last_seen_time", "bad_time"), "HH:MM"),
        ({"height_cm": "400"}, ("height_cm", "implausible_height"), "not a child's height"),
        ({"fir_number": "12;DROP"}, ("fir_number", "bad_reference"), "digits, letters"),
    ],
)
def test_specific_messages(changes, key, words):
    errs = errors(**changes)
    assert key in errs, errs
    assert words in errs[key]


def test_every_bad_field_is_reported_at_once():
    errs = errors(age_years="19", guardian_phone="1", last_seen_on="2027-01-01")
    assert {k[0] for k in errs} >= {"age_years", "guardian_phone", "last_seen_on"}


def test_fields_of_the_other_kind_are_refused():
    errs = errors(cci_name="Children's Home, Ambikapur")
    assert errs[("cci_name", "not_for_kind")] == "is not recorded for a missing-child report"
    with pytest.raises(ValidationError, match="not recorded for a found child"):
        clean_case(
            {"kind": "found", "sex": "M", "age_years": 8, "fir_number": "1/2026"}, today=TODAY
        )


def test_found_child_needs_no_name_but_must_be_a_child():
    assert clean_case({"kind": "found", "sex": "M", "age_years": 8}, today=TODAY)["sex"] == "M"
    with pytest.raises(ValidationError, match="when found"):
        clean_case({"kind": "found", "sex": "M", "age_years": 21}, today=TODAY)


def test_inline_check_of_one_field():
    assert check_field("last_seen_on", "2026-12-24", BASE, today=TODAY)[0].code == "future_date"
    assert check_field("last_seen_on", "2026-10-01", BASE, today=TODAY) == []


def test_landline_with_std_code_is_accepted():
    assert normalise_phone("07774-222333") == "+917774222333"


def test_a_refused_case_changes_nothing(ctx):
    with pytest.raises(ValidationError):
        CaseService(ctx).create({**BASE, "age_years": "19"})
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        ({"name_latin": "Asha\u202eKujur"}, ("name_latin", "bidi_control"), "U+202E"),
        ({"name_deva": "पूजा\u2067"}, ("name_deva", "bidi_control"), "direction"),
        ({"name_latin": "=1+1"}, ("name_latin", "formula_start"), "cannot start with '='"),
        ({"guardian_name": "+Ram"}, ("guardian_name", "formula_start"), "formula"),
        ({"clothing": "-2+3"}, ("clothing", "formula_start"), "cannot start with '-'"),
        ({"aliases": "@x"}, ("aliases", "formula_start"), "'@'"),
        ({"name_latin": "Pooja\nToppo"}, ("name_latin", "line_break"), "one line"),
        ({"name_latin": "Pooja\x1bToppo"}, ("name_latin", "control_char"), "U+001B"),
        ({"circumstances": "x" * 4001}, ("circumstances", "too_long"), "4,001 characters"),
    ],
)
def test_text_a_screen_or_spreadsheet_would_misread_is_refused(changes, key, words):
    errs = errors(**changes)
    assert key in errs and words in errs[key]


def test_text_rules_keep_what_officers_write():
    out = clean_case(
        {
            **BASE,
            "name_deva": "क्\u200dषमा रा\u200cनी",  # ZWJ/ZWNJ shape Devanagari conjuncts
            "circumstances": "Left home at 6 pm.\nSeen at the bus stand,\tthen the station.",
            "clothing": "-",  # a dash for "not known" is not a formula
        },
        today=TODAY,
    )
    assert "\u200d" in out["name_deva"] and "\n" in out["circumstances"]
    assert out["clothing"] == "-"


def test_messages_quote_values_short_and_clean():
    msg = errors(sex="\u202e" + "Q" * 10_000)[("sex", "bad_enum")]
    assert len(msg) < 120 and "\u202e" not in msg


def test_an_edit_answers_for_the_dates_it_sets_not_for_a_colleagues_clock():
    """A case reported 'tomorrow' by a laptop whose clock runs ahead stays editable here (a
    client clock never refuses work, SYNC.md); a date the edit itself sets is still checked."""
    tomorrow = TODAY + dt.timedelta(days=1)
    stored = clean_case({**BASE, "reported_on": "2026-10-30"}, today=tomorrow)
    stored["reported_on"] = tomorrow
    stored.update(kind="missing")
    got = clean_case({"clothing": "red frock"}, today=TODAY, partial=True, existing=stored)
    assert got == {"clothing": "red frock"}
    with pytest.raises(ValidationError) as exc:
        clean_case({"last_seen_on": "2026-11-02"}, today=TODAY, partial=True, existing=stored)
    assert [e.code for e in exc.value.errors] == ["future_date"]
    with pytest.raises(ValidationError):  # a new case is checked whole
        clean_case({**BASE, "reported_on": tomorrow.isoformat()}, today=TODAY)
