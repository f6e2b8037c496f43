"""Shared fixtures: each test gets a fresh data folder and a fixed clock."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from muskan_desktop.context import Context, open_context  # noqa: E402

TODAY = dt.date(2026, 11, 1)
SHARED = Path(__file__).resolve().parents[2] / "shared"


def fixed(ctx: Context, today: dt.date = TODAY) -> Context:
    ctx.today = lambda: today
    ctx.clock = lambda: dt.datetime(today.year, today.month, today.day, 10, 30)
    return ctx


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def ctx(home: Path) -> Iterator[Context]:
    c = fixed(open_context(home, actor="SI Test"))
    yield c
    c.db.close()


def shared_dir() -> Path:
    """../shared beside the project (CI lays a copy there too)."""
    for cand in (SHARED, Path(__file__).resolve().parents[1].parent / "shared"):
        if cand.exists():
            return cand
    pytest.skip("../shared is not beside the project")
    raise AssertionError
