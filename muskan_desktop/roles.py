"""Who may do what: one table shared by the desktop app, the command line and the server.

Roles follow how a station works: the SHO runs the station, a data-entry operator types
cases in, range and district officers read and print, and the district IT admin manages
accounts and devices but does not handle case data.
"""

from __future__ import annotations

import enum

from .errors import MuskanError


class Role(enum.StrEnum):
    SHO = "sho"
    OPERATOR = "operator"
    VIEWER = "viewer"
    ADMIN = "admin"


class Action(enum.StrEnum):
    VIEW = "view"  # open a case, its photos and its history
    CREATE = "create"  # a new case, photo, tracing entry, risk assessment
    EDIT = "edit"  # change a case's fields, move it along the lifecycle
    DELETE = "delete"  # delete or merge away case data (privileged, audited)
    EXPORT = "export"  # CSV/XLSX export of the register
    REPORT = "report"  # print review reports, notices, match sheets
    VERDICT = "verdict"  # record a match verdict
    AUDIT = "audit"  # read the audit trail
    ACCOUNTS = "accounts"  # officer accounts
    DEVICES = "devices"  # device enrollment and revocation
    SYNC = "sync"  # push and pull with the central server


_GRANTS: dict[Role, frozenset[Action]] = {
    Role.SHO: frozenset(
        {
            Action.VIEW,
            Action.CREATE,
            Action.EDIT,
            Action.DELETE,
            Action.EXPORT,
            Action.REPORT,
            Action.VERDICT,
            Action.AUDIT,
            Action.ACCOUNTS,  # the station's own officers (a station may have no admin)
            Action.SYNC,
        }
    ),
    Role.OPERATOR: frozenset({Action.VIEW, Action.CREATE, Action.EDIT, Action.SYNC}),
    Role.VIEWER: frozenset({Action.VIEW, Action.REPORT}),
    Role.ADMIN: frozenset({Action.ACCOUNTS, Action.DEVICES, Action.AUDIT, Action.SYNC}),
}

ROLE_LABELS = {
    Role.SHO: "Station house officer",
    Role.OPERATOR: "Data-entry operator",
    Role.VIEWER: "Viewer (range/district officer)",
    Role.ADMIN: "Administrator",
}


class PermissionDenied(MuskanError):
    """The officer's role does not allow this; nothing was changed."""

    exit_code = 6


def can(role: Role | str, action: Action | str) -> bool:
    try:
        return Action(action) in _GRANTS[Role(role)]
    except ValueError:
        return False


def can_parse(role: Role | str) -> bool:
    return role in Role._value2member_map_


def require(role: Role | str, action: Action | str) -> None:
    if not can(role, action):
        label = ROLE_LABELS.get(Role(role), str(role)) if can_parse(role) else str(role)
        raise PermissionDenied(
            f"A {label} may not {Action(action).value} here; nothing was changed. "
            "Ask the station house officer."
        )
