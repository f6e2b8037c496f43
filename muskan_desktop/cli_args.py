"""Argument types every command module shares (one rule for a date, one for a count), in a
module of their own so that the command modules need not import the top-level CLI."""

from __future__ import annotations

import argparse
import datetime as dt

from .validation import parse_date


def iso_date(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def positive_int(text: str) -> int:
    """A count such as --limit: a whole number of at least 1 (0 or -5 would list everything)."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return n
