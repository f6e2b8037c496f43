"""Problems a person can act on. Anything else is a bug and is reported as one."""

from __future__ import annotations

from dataclasses import dataclass


class MuskanError(Exception):
    """A problem the user can fix: bad input, a locked or damaged file, an unknown id."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str  # stable, for translation in the UI
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(MuskanError):
    exit_code = 2

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    def for_field(self, field: str) -> list[FieldError]:
        return [e for e in self.errors if e.field == field]


class NotFoundError(MuskanError):
    exit_code = 3


class TransitionError(MuskanError):
    exit_code = 2


class StorageError(MuskanError):
    """The register cannot be opened or written: missing, read-only, locked, damaged, full."""

    exit_code = 4
