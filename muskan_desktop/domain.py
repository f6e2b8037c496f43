"""Words of the domain: case kinds, statuses, categories, and the lifecycle state machine."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    MISSING = "missing"
    FOUND = "found"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
    OTHER = "X"


class Status(StrEnum):
    # missing-child reports
    MISSING = "missing"
    TRACED = "traced"  # located, perhaps in another state, not yet brought back
    RECOVERED = "recovered"
    # found/rescued-child records
    REGISTERED = "registered"
    IDENTIFIED = "identified"
    # both
    RESTORED = "restored"  # handed over to parent or guardian
    CLOSED = "closed"


class Category(StrEnum):
    LOST = "lost"
    RUNAWAY = "runaway"
    KIDNAPPED = "kidnapped"  # kidnapped or abducted
    TRAFFICKING = "trafficking"  # suspected trafficking


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Verdict(StrEnum):
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    INCONCLUSIVE = "inconclusive"


INITIAL_STATUS = {Kind.MISSING: Status.MISSING, Kind.FOUND: Status.REGISTERED}

# Status meaning "still being looked for" — the pending figures of the review report.
PENDING = {Status.MISSING, Status.TRACED, Status.REGISTERED, Status.IDENTIFIED}


@dataclass(frozen=True)
class Step:
    """One allowed lifecycle move and the details the officer must record for it."""

    target: Status
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


# Keys of the details dict each step records (and copies onto the case).
LIFECYCLE: dict[Kind, dict[Status, dict[str, Step]]] = {
    Kind.MISSING: {
        Status.MISSING: {
            "trace": Step(
                Status.TRACED,
                ("located_state", "located_place", "located_on"),
                ("team_sent", "note"),
            ),
            "recover": Step(
                Status.RECOVERED,
                ("recovered_on",),
                ("located_state", "located_place", "team_sent", "note"),
            ),
            "close": Step(Status.CLOSED, ("closed_reason",), ("note",)),
        },
        Status.TRACED: {
            "recover": Step(Status.RECOVERED, ("recovered_on",), ("team_sent", "note")),
            "close": Step(Status.CLOSED, ("closed_reason",), ("note",)),
        },
        Status.RECOVERED: {
            "restore": Step(
                Status.RESTORED, ("restored_on", "restored_to"), ("restored_relation", "note")
            ),
            "close": Step(Status.CLOSED, ("closed_reason",), ("note",)),
        },
        Status.RESTORED: {},
        Status.CLOSED: {"reopen": Step(Status.MISSING, ("note",))},
    },
    Kind.FOUND: {
        Status.REGISTERED: {
            "identify": Step(Status.IDENTIFIED, ("identified_as",), ("note",)),
            "restore": Step(
                Status.RESTORED, ("restored_on", "restored_to"), ("restored_relation", "note")
            ),
            "close": Step(Status.CLOSED, ("closed_reason",), ("note",)),
        },
        Status.IDENTIFIED: {
            "restore": Step(
                Status.RESTORED, ("restored_on", "restored_to"), ("restored_relation", "note")
            ),
            "close": Step(Status.CLOSED, ("closed_reason",), ("note",)),
        },
        Status.RESTORED: {},
        Status.CLOSED: {"reopen": Step(Status.REGISTERED, ("note",))},
    },
}

CLOSURE_REASONS = (
    "returned_home_on_own",
    "found_dead",
    "duplicate_report",
    "false_report",
    "transferred_to_other_station",
    "other",
)


def statuses_for(kind: Kind) -> list[Status]:
    return list(LIFECYCLE[kind])


def allowed_actions(kind: Kind, status: Status) -> dict[str, Step]:
    return LIFECYCLE[kind].get(status, {})


def age_band(age: int | None) -> str:
    """Bands the review meeting and the register filter use."""
    if age is None:
        return "unknown"
    if age < 6:
        return "0-5"
    if age < 12:
        return "6-11"
    if age < 15:
        return "12-14"
    return "15-17" if age < 18 else "18+"


AGE_BANDS = {"0-5": (0, 5), "6-11": (6, 11), "12-14": (12, 14), "15-17": (15, 17)}
