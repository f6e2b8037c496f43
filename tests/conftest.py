"""Shared fixtures: each test gets a fresh data folder and a fixed clock."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Headless Linux has no keyring: the suite brings one that its subprocesses share (the
# register keys live there, as in the OS keyring). tests/test_security_encryption.py covers the
# no-keyring passphrase path.
_SUPPORT = str(Path(__file__).resolve().parent / "support")
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_SUPPORT, os.environ.get("PYTHONPATH")) if p)
sys.path.insert(0, _SUPPORT)
_KEYRING_DIR = tempfile.mkdtemp(prefix="muskan-keyring-")
atexit.register(shutil.rmtree, _KEYRING_DIR, True)  # test keys go with the test run
os.environ.setdefault("KEYRING_TEST_FILE", os.path.join(_KEYRING_DIR, "keys.json"))
os.environ["PYTHON_KEYRING_BACKEND"] = "muskan_test_keyring.FileKeyring"

from muskan_desktop.context import Context, open_context  # noqa: E402

TODAY = dt.date(2026, 11, 1)
SHARED = Path(__file__).resolve().parents[2] / "shared"


def fixed(ctx: Context, today: dt.date = TODAY) -> Context:
    ctx.today = lambda: today
    ctx.clock = lambda: dt.datetime(today.year, today.month, today.day, 10, 30)
    return ctx


@pytest.fixture(autouse=True)
def _keyring_put_back() -> Iterator[None]:
    """A test that swaps in a memory keyring (sync_helpers.use_memory_keyring) gets the
    suite's file keyring back afterwards: later tests run subprocesses that read the keys
    of their registers from that file, and a key left in memory is a register they cannot
    open (seen in CI: KeyUnavailable in a later test's subprocess)."""
    import keyring

    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


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
    env = os.environ.get("MUSKAN_SHARED")
    cand = Path(env) if env else SHARED
    if cand.exists():
        return cand
    if os.environ.get("CI"):  # CI lays shared/ beside the clone: its absence is a failure
        raise FileNotFoundError(f"shared test data not found at {cand}")
    pytest.skip("../shared is not beside the project (set MUSKAN_SHARED)")
    raise AssertionError


@pytest.fixture
def modal_boxes(monkeypatch):
    """A message box nobody expected must not hang the suite: record it and answer Cancel."""
    from PySide6.QtWidgets import QMessageBox

    shown = []

    def box(kind):
        def fake(parent, title, text, *a, **kw):
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.Cancel

        return staticmethod(fake)

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))
    return shown
