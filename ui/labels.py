"""Translatable names for the core's words: fields, statuses, kinds, categories, messages.

The core speaks English and stable codes; this is where they become what an officer reads,
in English or Hindi (pyside6-lupdate collects the QT_TRANSLATE_NOOP strings below).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from muskan_desktop.errors import FieldError

FIELD = {
    "kind": QT_TRANSLATE_NOOP("Field", "Kind"),
    "name_latin": QT_TRANSLATE_NOOP("Field", "Name (English letters)"),
    "name_deva": QT_TRANSLATE_NOOP("Field", "Name (Devanagari)"),
    "aliases": QT_TRANSLATE_NOOP("Field", "Other names"),
    "sex": QT_TRANSLATE_NOOP("Field", "Sex"),
    "date_of_birth": QT_TRANSLATE_NOOP("Field", "Date of birth"),
    "age_years": QT_TRANSLATE_NOOP("Field", "Age (years)"),
    "height_cm": QT_TRANSLATE_NOOP("Field", "Height (cm)"),
    "build": QT_TRANSLATE_NOOP("Field", "Build"),
    "complexion": QT_TRANSLATE_NOOP("Field", "Complexion"),
    "hair": QT_TRANSLATE_NOOP("Field", "Hair"),
    "eyes": QT_TRANSLATE_NOOP("Field", "Eyes"),
    "identification_marks": QT_TRANSLATE_NOOP("Field", "Identification marks"),
    "clothing": QT_TRANSLATE_NOOP("Field", "Clothing"),
    "languages": QT_TRANSLATE_NOOP("Field", "Languages spoken"),
    "reported_on": QT_TRANSLATE_NOOP("Field", "Date reported"),
    "fir_number": QT_TRANSLATE_NOOP("Field", "FIR number"),
    "fir_date": QT_TRANSLATE_NOOP("Field", "FIR date"),
    "gd_number": QT_TRANSLATE_NOOP("Field", "GD number"),
    "gd_date": QT_TRANSLATE_NOOP("Field", "GD date"),
    "sections": QT_TRANSLATE_NOOP("Field", "Sections of law"),
    "last_seen_on": QT_TRANSLATE_NOOP("Field", "Last seen on"),
    "last_seen_time": QT_TRANSLATE_NOOP("Field", "Last seen at (time)"),
    "last_seen_place": QT_TRANSLATE_NOOP("Field", "Last seen at (place)"),
    "circumstances": QT_TRANSLATE_NOOP("Field", "Circumstances"),
    "category": QT_TRANSLATE_NOOP("Field", "Category"),
    "guardian_name": QT_TRANSLATE_NOOP("Field", "Guardian's name"),
    "guardian_relation": QT_TRANSLATE_NOOP("Field", "Relation to child"),
    "guardian_phone": QT_TRANSLATE_NOOP("Field", "Guardian's phone"),
    "guardian_address": QT_TRANSLATE_NOOP("Field", "Guardian's address"),
    "investigating_officer": QT_TRANSLATE_NOOP("Field", "Investigating officer"),
    "found_on": QT_TRANSLATE_NOOP("Field", "Found on"),
    "found_place": QT_TRANSLATE_NOOP("Field", "Found at (place)"),
    "found_by": QT_TRANSLATE_NOOP("Field", "Found by"),
    "cci_name": QT_TRANSLATE_NOOP("Field", "Child care institution"),
    "cci_address": QT_TRANSLATE_NOOP("Field", "CCI address"),
    "cci_contact": QT_TRANSLATE_NOOP("Field", "CCI phone"),
    "cwc_order": QT_TRANSLATE_NOOP("Field", "CWC order"),
    # lifecycle details
    "located_state": QT_TRANSLATE_NOOP("Field", "State where located"),
    "located_place": QT_TRANSLATE_NOOP("Field", "Place where located"),
    "located_on": QT_TRANSLATE_NOOP("Field", "Located on"),
    "team_sent": QT_TRANSLATE_NOOP("Field", "Team sent"),
    "recovered_on": QT_TRANSLATE_NOOP("Field", "Recovered on"),
    "restored_on": QT_TRANSLATE_NOOP("Field", "Restored on"),
    "restored_to": QT_TRANSLATE_NOOP("Field", "Handed over to"),
    "restored_relation": QT_TRANSLATE_NOOP("Field", "Their relation to the child"),
    "closed_reason": QT_TRANSLATE_NOOP("Field", "Reason for closing"),
    "closed_on": QT_TRANSLATE_NOOP("Field", "Closed on"),
    "identified_as": QT_TRANSLATE_NOOP("Field", "Identified as"),
    "note": QT_TRANSLATE_NOOP("Field", "Note"),
    "station": QT_TRANSLATE_NOOP("Field", "Police station"),
    "district": QT_TRANSLATE_NOOP("Field", "District"),
}

STATUS = {
    "missing": QT_TRANSLATE_NOOP("Status", "Missing"),
    "traced": QT_TRANSLATE_NOOP("Status", "Traced"),
    "recovered": QT_TRANSLATE_NOOP("Status", "Recovered"),
    "restored": QT_TRANSLATE_NOOP("Status", "Restored"),
    "registered": QT_TRANSLATE_NOOP("Status", "Registered"),
    "identified": QT_TRANSLATE_NOOP("Status", "Identified"),
    "closed": QT_TRANSLATE_NOOP("Status", "Closed"),
}

KIND = {
    "missing": QT_TRANSLATE_NOOP("Kind", "Missing child"),
    "found": QT_TRANSLATE_NOOP("Kind", "Found child"),
}

SEX = {
    "M": QT_TRANSLATE_NOOP("Sex", "Boy"),
    "F": QT_TRANSLATE_NOOP("Sex", "Girl"),
    "X": QT_TRANSLATE_NOOP("Sex", "Other"),
}

CATEGORY = {
    "lost": QT_TRANSLATE_NOOP("Category", "Lost"),
    "runaway": QT_TRANSLATE_NOOP("Category", "Ran away"),
    "kidnapped": QT_TRANSLATE_NOOP("Category", "Kidnapped / abducted"),
    "trafficking": QT_TRANSLATE_NOOP("Category", "Suspected trafficking"),
}

ACTION = {
    "trace": QT_TRANSLATE_NOOP("Action", "Traced…"),
    "recover": QT_TRANSLATE_NOOP("Action", "Recovered…"),
    "restore": QT_TRANSLATE_NOOP("Action", "Restored to guardian…"),
    "identify": QT_TRANSLATE_NOOP("Action", "Identified…"),
    "close": QT_TRANSLATE_NOOP("Action", "Close case…"),
    "reopen": QT_TRANSLATE_NOOP("Action", "Reopen…"),
}

CLOSURE = {
    "returned_home_on_own": QT_TRANSLATE_NOOP("Closure", "Returned home on own"),
    "found_dead": QT_TRANSLATE_NOOP("Closure", "Found dead"),
    "duplicate_report": QT_TRANSLATE_NOOP("Closure", "Duplicate report"),
    "false_report": QT_TRANSLATE_NOOP("Closure", "False report"),
    "transferred_to_other_station": QT_TRANSLATE_NOOP("Closure", "Transferred to another station"),
    "other": QT_TRANSLATE_NOOP("Closure", "Other"),
}

RISK = {
    "low": QT_TRANSLATE_NOOP("Risk", "Low"),
    "medium": QT_TRANSLATE_NOOP("Risk", "Medium"),
    "high": QT_TRANSLATE_NOOP("Risk", "High"),
}

CHECKLIST = {
    "under_12": QT_TRANSLATE_NOOP("Risk", "Child under 12"),
    "girl_child": QT_TRANSLATE_NOOP("Risk", "Girl child"),
    "trafficking_suspected": QT_TRANSLATE_NOOP("Risk", "Trafficking suspected"),
    "abduction_suspected": QT_TRANSLATE_NOOP("Risk", "Abduction suspected"),
    "medical_needs": QT_TRANSLATE_NOOP("Risk", "Needs medicine or care"),
    "disability": QT_TRANSLATE_NOOP("Risk", "Has a disability"),
    "missing_before": QT_TRANSLATE_NOOP("Risk", "Has gone missing before"),
    "away_from_home_district": QT_TRANSLATE_NOOP("Risk", "Last seen outside home district"),
    "last_seen_with_stranger": QT_TRANSLATE_NOOP("Risk", "Last seen with a stranger"),
}

# Validation codes (muskan_desktop.validation) -> what the officer reads next to the field.
MESSAGE = {
    "required": QT_TRANSLATE_NOOP("Validation", "This is required."),
    "future_date": QT_TRANSLATE_NOOP("Validation", "This date is in the future."),
    "bad_date": QT_TRANSLATE_NOOP("Validation", "Not a real date; write it as YYYY-MM-DD."),
    "too_old": QT_TRANSLATE_NOOP("Validation", "This date is before 1990."),
    "seen_after_report": QT_TRANSLATE_NOOP(
        "Validation", "The child cannot be last seen after the date of the report."
    ),
    "before_last_seen": QT_TRANSLATE_NOOP("Validation", "This is before the child was last seen."),
    "found_after_register": QT_TRANSLATE_NOOP(
        "Validation", "This is after the date the record was registered."
    ),
    "not_a_child": QT_TRANSLATE_NOOP("Validation", "A child must be under 18."),
    "age_dob_mismatch": QT_TRANSLATE_NOOP("Validation", "The age does not fit the date of birth."),
    "born_after_event": QT_TRANSLATE_NOOP("Validation", "The date of birth is after that date."),
    "bad_phone": QT_TRANSLATE_NOOP(
        "Validation", "Not an Indian phone number (10-digit mobile, or landline with STD code)."
    ),
    "bad_int": QT_TRANSLATE_NOOP("Validation", "Write a whole number."),
    "bad_time": QT_TRANSLATE_NOOP("Validation", "Write the time as HH:MM (24-hour)."),
    "implausible_height": QT_TRANSLATE_NOOP("Validation", "Not a child's height (40-200 cm)."),
    "bad_reference": QT_TRANSLATE_NOOP("Validation", "Use digits, letters, '/', '-' or '.' only."),
    "bad_enum": QT_TRANSLATE_NOOP("Validation", "Pick one of the choices."),
    "unknown_state": QT_TRANSLATE_NOOP("Validation", "Pick a state of India."),
    "before_report": QT_TRANSLATE_NOOP("Validation", "This is before the case was reported."),
    "unexpected": QT_TRANSLATE_NOOP("Validation", "Not recorded at this step."),
}


def xlate(context: str, text: str) -> str:
    """Translate a string marked with QT_TRANSLATE_NOOP (the name keeps lupdate off it)."""
    return QCoreApplication.translate(context, text)


def field_label(name: str) -> str:
    return xlate("Field", FIELD.get(name, name))


def status_label(code: str) -> str:
    return xlate("Status", STATUS.get(code, code))


def kind_label(code: str) -> str:
    return xlate("Kind", KIND.get(code, code))


def sex_label(code: str) -> str:
    return xlate("Sex", SEX.get(code, code))


def category_label(code: str | None) -> str:
    return xlate("Category", CATEGORY.get(code, code)) if code else ""


def message(err: FieldError) -> str:
    """The officer's language if the code is known, else the core's specific English message."""
    text = MESSAGE.get(err.code)
    if text is None:
        return err.message
    translated = xlate("Validation", text)
    return translated if translated != text else err.message
