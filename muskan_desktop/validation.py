"""Checking what an officer entered: one field spec, specific messages, nothing guessed.

The same checks serve the forms (inline, field by field), the command line and CSV import
(every bad field of every row reported). Messages carry a stable code for translation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .domain import Category, Kind, Sex
from .errors import FieldError, ValidationError

MAX_CHILD_AGE = 17  # the Juvenile Justice Act: a child is under 18


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # text, date, int, time, phone, enum
    label: str
    max_len: int = 200
    choices: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ("missing", "found")
    lines: bool = False  # free text that may run over several lines (a multi-line box)


def _f(name: str, type_: str, label: str, **kw: Any) -> FieldSpec:
    return FieldSpec(name, type_, label, **kw)


M, F = ("missing",), ("found",)
FIELDS: dict[str, FieldSpec] = {
    s.name: s
    for s in [
        _f("kind", "enum", "Kind", choices=tuple(Kind)),
        _f("name_latin", "text", "Name (Latin script)"),
        _f("name_deva", "text", "Name (Devanagari)"),
        _f("aliases", "text", "Other names", max_len=400),
        _f("sex", "enum", "Sex", choices=tuple(Sex)),
        _f("date_of_birth", "date", "Date of birth"),
        _f("age_years", "int", "Age (years)"),
        _f("height_cm", "int", "Height (cm)"),
        _f("build", "text", "Build", max_len=40),
        _f("complexion", "text", "Complexion", max_len=40),
        _f("hair", "text", "Hair", max_len=80),
        _f("eyes", "text", "Eyes", max_len=80),
        _f("identification_marks", "text", "Identification marks", max_len=1000, lines=True),
        _f("clothing", "text", "Clothing", max_len=1000, lines=True),
        _f("languages", "text", "Languages spoken"),
        _f("reported_on", "date", "Date reported"),
        _f("fir_number", "text", "FIR number", max_len=40, kinds=M),
        _f("fir_date", "date", "FIR date", kinds=M),
        _f("gd_number", "text", "GD number", max_len=40, kinds=M),
        _f("gd_date", "date", "GD date", kinds=M),
        _f("sections", "text", "Sections of law", kinds=M),
        _f("last_seen_on", "date", "Last seen on", kinds=M),
        _f("last_seen_time", "time", "Last seen at (time)", kinds=M),
        _f("last_seen_place", "text", "Last seen at (place)", max_len=1000, lines=True, kinds=M),
        _f("circumstances", "text", "Circumstances", max_len=4000, lines=True, kinds=M),
        _f("category", "enum", "Category", choices=tuple(Category), kinds=M),
        _f("guardian_name", "text", "Guardian's name", kinds=M),
        _f("guardian_relation", "text", "Relation to child", max_len=40, kinds=M),
        _f("guardian_phone", "phone", "Guardian's phone", kinds=M),
        _f("guardian_address", "text", "Guardian's address", max_len=1000, lines=True, kinds=M),
        _f("investigating_officer", "text", "Investigating officer", kinds=M),
        _f("found_on", "date", "Found on", kinds=F),
        _f("found_place", "text", "Found at (place)", max_len=1000, lines=True, kinds=F),
        _f("found_by", "text", "Found by", kinds=F),
        _f("cci_name", "text", "Child care institution", kinds=F),
        _f("cci_address", "text", "CCI address", max_len=1000, lines=True, kinds=F),
        _f("cci_contact", "phone", "CCI phone", kinds=F),
        _f("cwc_order", "text", "CWC order", kinds=F),
    ]
}

DATE_FIELDS = tuple(n for n, s in FIELDS.items() if s.type == "date")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_REF = re.compile(r"^[0-9A-Za-z\u0900-\u097F/\-. ]+$")

NOTE_MAX_LEN = 4000  # a tracing entry, a risk note, a step's note: as long as circumstances
# a lifecycle step's text as long as its register column; the others (places, teams) NOTE_MAX_LEN
DETAIL_MAX_LEN = {"restored_to": 200, "restored_relation": 40, "identified_as": 200}
RISK_REVIEW_MAX_DAYS = 366  # a risk is looked at again within a year
# Characters that change the order text is shown in ("Trojan Source"): a name would read one
# way on screen and be stored, searched and printed another. Hindi needs none of them; the
# joiners that shape Devanagari conjuncts (ZWNJ U+200C, ZWJ U+200D) are allowed.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_START = "=+-@"  # a spreadsheet runs a cell starting with one of these as a formula


class TextError(ValueError):
    """What is wrong with a piece of text, with the stable code the window translates."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def shown(text: str, limit: int = 40) -> str:
    """A value as a message may quote it: short, and with no invisible or control characters."""
    text = _CONTROL_ONE_LINE.sub("\ufffd", _BIDI.sub("\ufffd", text))
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def clean_text(
    text: str, *, max_len: int = NOTE_MAX_LEN, lines: bool = True, formula: bool = False
) -> str:
    """Free text stripped, or TextError: too long, a direction-changing or control character,
    a line break where the field holds one line, or (`formula`) a spreadsheet formula start."""
    text = text.strip()
    if len(text) > max_len:
        raise TextError("too_long", f"is too long ({len(text):,} characters; at most {max_len:,})")
    if m := _BIDI.search(text):
        raise TextError(
            "bidi_control",
            f"holds an invisible character that changes the direction of text "
            f"(U+{ord(m.group()):04X}), so it would show differently from what is stored; "
            "type it again without pasting",
        )
    if not lines and ("\n" in text or "\r" in text):
        raise TextError("line_break", "must be on one line (it holds a line break)")
    if m := (_CONTROL_LINES if lines else _CONTROL_ONE_LINE).search(text):
        raise TextError(
            "control_char", f"holds a control character (U+{ord(m.group()):04X}); remove it"
        )
    if formula and text[:1] in FORMULA_START and text.strip("-"):
        raise TextError(
            "formula_start",
            f"cannot start with '{text[0]}': a spreadsheet would run it as a formula",
        )
    return text


def text_errors(
    field: str, value: Any, *, max_len: int = NOTE_MAX_LEN, lines: bool = True
) -> list[FieldError]:
    """The problems of a free-text value outside the case form (a tracing entry, a note)."""
    if value is None:
        return []
    try:
        clean_text(str(value), max_len=max_len, lines=lines)
    except TextError as exc:
        return [FieldError(field, exc.code, str(exc))]
    return []


def review_due_errors(review_due: dt.date, assessed_on: dt.date) -> list[FieldError]:
    """A risk review is due on or after the day of the assessment, and within a year."""
    if review_due < assessed_on:
        return [
            FieldError(
                "review_due",
                "before_assessment",
                f"{review_due.isoformat()} is before the assessment ({assessed_on.isoformat()}); "
                "a review falls on or after the day the risk is assessed",
            )
        ]
    if review_due > assessed_on + dt.timedelta(days=RISK_REVIEW_MAX_DAYS):
        return [
            FieldError(
                "review_due",
                "too_far",
                f"{review_due.isoformat()} is more than a year after the assessment; "
                "review a risk at least once a year",
            )
        ]
    return []


def parse_date(value: Any) -> dt.date:
    """ISO dates only (YYYY-MM-DD): day-first and month-first are ambiguous in a register."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"'{shown(text)}' is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a real calendar date") from None


def normalise_phone(value: str) -> str:
    """An Indian phone number in E.164 (+91…), or ValueError saying what is wrong."""
    import phonenumbers

    text = value.strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) < 6:
        raise ValueError(f"'{shown(text)}' is too short for a phone number")
    try:
        number = phonenumbers.parse(text, "IN")
    except phonenumbers.NumberParseException:
        raise ValueError(f"'{shown(text)}' is not a phone number") from None
    if number.country_code != 91:
        raise ValueError(f"'{shown(text)}' is not an Indian number (+91)")
    if not phonenumbers.is_valid_number(number):
        raise ValueError(
            f"'{shown(text)}' is not a valid Indian number: a mobile has 10 digits starting 6-9; "
            "a landline has its STD code"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse_one(spec: FieldSpec, raw: Any) -> Any:
    if spec.type == "date":
        return parse_date(raw)
    if isinstance(raw, bool):
        raise ValueError("is not a number")
    if spec.type == "int":
        if isinstance(raw, int):
            return raw
        text = str(raw).strip()
        if not re.fullmatch(r"\d{1,3}", text):
            raise ValueError(f"'{shown(text)}' is not a whole number")
        return int(text)
    text = str(raw).strip()
    if spec.type == "enum":
        if text not in spec.choices:
            raise ValueError(f"'{shown(text)}' is not one of: {', '.join(spec.choices)}")
        return text
    if spec.type == "time":
        m = _TIME.match(text)
        if not m:
            raise ValueError(f"'{shown(text)}' is not a time in the form HH:MM (24-hour)")
        return f"{int(m.group(1)):02d}:{m.group(2)}"
    if spec.type == "phone":
        return normalise_phone(text)
    return clean_text(text, max_len=spec.max_len, lines=spec.lines, formula=True)


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def clean_case(
    raw: Mapping[str, Any],
    *,
    today: dt.date,
    partial: bool = False,
    existing: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Parse and check case fields; raise ValidationError naming every bad field.

    `partial` checks an edit: only given fields are parsed, the cross-field rules see the
    edited record as a whole (`existing` plus the change).
    """
    errors: list[FieldError] = []
    out: dict[str, Any] = {}
    for name, value in raw.items():
        spec = FIELDS.get(name)
        if spec is None:
            errors.append(FieldError(name, "unknown_field", "is not a case field"))
            continue
        if _is_blank(value):
            out[name] = None
            continue
        try:
            out[name] = _parse_one(spec, value)
        except ValueError as exc:
            code = exc.code if isinstance(exc, TextError) else f"bad_{spec.type}"
            errors.append(FieldError(name, code, str(exc)))
    merged = {**(existing or {}), **out}
    bad = {e.field for e in errors}
    # An edit answers for the dates it sets: a stored date "in the future" was entered on a
    # laptop whose clock ran ahead of this one's, and a client clock never refuses work.
    dated = set(out) if partial else set(DATE_FIELDS)
    errors.extend(_rules(merged, today=today, bad=bad, partial=partial, dated=dated))
    if errors:
        raise ValidationError(errors)
    return out


def _rules(
    c: Mapping[str, Any],
    *,
    today: dt.date,
    bad: set[str],
    partial: bool,
    dated: set[str] | frozenset[str] = frozenset(),
) -> list[FieldError]:
    errs: list[FieldError] = []

    def err(field: str, code: str, message: str) -> None:
        if field not in bad:
            errs.append(FieldError(field, code, message))

    kind = c.get("kind")
    for name, value in c.items():
        spec = FIELDS.get(name)
        if (
            spec
            and kind in (Kind.MISSING, Kind.FOUND)
            and kind not in spec.kinds
            and value not in (None, "")
        ):
            other = "a found child" if kind == Kind.FOUND else "a missing-child report"
            err(name, "not_for_kind", f"is not recorded for {other}")
    if kind is None and "kind" not in bad:
        err("kind", "required", "say whether the child is missing or found")
    if not c.get("sex"):
        err("sex", "required", "is required (M, F or X)")
    if kind == Kind.MISSING and not (c.get("name_latin") or c.get("name_deva")):
        err("name_latin", "required", "a missing child's name is required (either script)")
    if c.get("age_years") is None and c.get("date_of_birth") is None:
        field = "age_years"
        err(field, "required", "give the date of birth or the (approximate) age")
    for name in DATE_FIELDS:
        d = c.get(name)
        if isinstance(d, dt.date) and d > today and name in dated:
            err(name, "future_date", f"{d.isoformat()} is in the future")
        if isinstance(d, dt.date) and d.year < 1990:
            err(name, "too_old", f"{d.isoformat()} is before 1990")
    reported = c.get("reported_on") or today
    seen = c.get("last_seen_on")
    if isinstance(seen, dt.date) and isinstance(reported, dt.date) and seen > reported:
        err("last_seen_on", "seen_after_report", "the child cannot be last seen after the report")
    for ref in ("fir_date", "gd_date"):
        d = c.get(ref)
        if isinstance(d, dt.date) and isinstance(seen, dt.date) and d < seen:
            err(ref, "before_last_seen", "is before the date the child was last seen")
    found = c.get("found_on")
    if isinstance(found, dt.date) and isinstance(reported, dt.date) and found > reported:
        err("found_on", "found_after_register", "is after the date the record was registered")
    for ref in ("fir_number", "gd_number"):
        v = c.get(ref)
        if isinstance(v, str) and v and not _REF.match(v):
            err(ref, "bad_reference", "use digits, letters, '/', '-' or '.' only")
    # age: under 18 at the time that matters (last seen for missing, found for found)
    at = seen or found or reported
    age = c.get("age_years")
    dob = c.get("date_of_birth")
    if isinstance(dob, dt.date) and isinstance(at, dt.date):
        if dob > at:
            err("date_of_birth", "born_after_event", "is after the child was last seen or found")
        else:
            dob_age = years_between(dob, at)
            if isinstance(age, int) and abs(age - dob_age) > 1:
                err(
                    "age_years",
                    "age_dob_mismatch",
                    f"does not fit the date of birth ({dob_age} years)",
                )
            age = dob_age if age is None else age
    if isinstance(age, int):
        if age > MAX_CHILD_AGE:
            when = "when missing" if kind == Kind.MISSING else "when found"
            err("age_years", "not_a_child", f"{age} years: a child must be under 18 {when}")
    h = c.get("height_cm")
    if isinstance(h, int) and not 40 <= h <= 200:
        err("height_cm", "implausible_height", f"{h} cm is not a child's height (40-200 cm)")
    return errs


def years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def check_field(
    name: str, value: Any, record: Mapping[str, Any], *, today: dt.date
) -> list[FieldError]:
    """Inline check of one field as the officer types, in the context of the whole form."""
    try:
        clean_case({**record, name: value}, today=today)
    except ValidationError as exc:
        return exc.for_field(name)
    return []


Clock = Callable[[], dt.datetime]
