"""`muskan --self-test`: every step passes on a good installation, and a broken one fails it.

Run for real: dlib encodes the bundled photos, the PDF is read back, the window opens off
screen (in the subprocess test). The frozen bundle runs the same code (packaging/build.py
--self-test); this file runs it from source.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from muskan_desktop import selftest
from muskan_desktop.paths import resource

ROOT = Path(__file__).resolve().parent.parent
STEPS = ["modules", "keyring", "register", "encode", "match", "report", "window"]
LINE = re.compile(r"^(PASS|FAIL|SKIP)  (\w+)\s+(.*) \(\d+\.\d s\)$")


def verdicts(text: str) -> dict[str, tuple[str, str]]:
    """step -> (verdict, detail), from the self-test's output."""
    out = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            out[m.group(2)] = (m.group(1), m.group(3))
    return out


def core_steps() -> list[selftest.Step]:
    return [s for s in selftest.steps(None) if s[0] != "window"]


def run_core(photos: Path | None = None, **kw) -> tuple[int, str]:
    buf = io.StringIO()
    code = selftest.run(window=None, photos=photos, out=buf, step_list=core_steps(), **kw)
    return code, buf.getvalue()


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """A copy of the bundled self-test photos, to break."""
    folder = tmp_path / "photos"
    shutil.copytree(resource("selftest"), folder)
    return folder


@pytest.fixture
def own_tmp(tmp_path: Path, monkeypatch) -> Path:
    """The self-test's temporary folders land here (to see what it leaves behind)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


@pytest.mark.slow
def test_self_test_from_source_passes_every_step(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp), "TEMP": str(tmp)}
    env.pop("MUSKAN_HOME", None)
    r = subprocess.run(
        [sys.executable, "-m", "ui.launch", "--home", str(tmp_path / "real"), "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    found = verdicts(r.stdout)
    assert list(found) == STEPS
    assert {v for v, _ in found.values()} == {"PASS"}, r.stdout
    assert "same person ranked first" in found["match"][1]
    assert "Devanagari text reads back" in found["report"][1]
    assert "in Hindi, 2 cases listed" in found["window"][1]
    assert r.stdout.splitlines()[-1] == "self-test passed: 7 of 7 steps"
    assert r.stdout.isascii()  # any Windows console code page can show it
    assert list(tmp.iterdir()) == []  # the test data folder is gone
    assert not (tmp_path / "real").exists()  # --home is never touched


def test_the_wrong_person_fails_the_match_step(photos, own_tmp):
    code, out = run_core(photos)
    assert code == 0, out  # the control: the bundled photos pass
    shutil.copy(photos / selftest.PERSON_B, photos / selftest.PERSON_A_AGAIN)
    code, out = run_core(photos)
    found = verdicts(out)
    assert code == 1
    assert found["match"][0] == "FAIL"
    assert "the top lead is not the same person" in found["match"][1]
    assert [found[s][0] for s in ("register", "encode", "report")] == ["PASS"] * 3
    assert "self-test FAILED: 5 of 6 steps passed" in out


def test_a_damaged_photo_fails_encoding_and_skips_what_needs_it(photos, own_tmp):
    data = (photos / selftest.PERSON_A).read_bytes()
    (photos / selftest.PERSON_A).write_bytes(data[: len(data) // 3])
    code, out = run_core(photos)
    found = verdicts(out)
    assert code == 1
    assert found["register"][0] == "PASS"
    assert found["encode"][0] == "FAIL" and "obama.jpg" in found["encode"][1]
    assert found["match"] == ("SKIP", "needs the encode step")
    assert found["report"] == ("SKIP", "needs the encode step")
    # kept for diagnosis, with its log, and named
    (kept,) = own_tmp.iterdir()
    assert f"kept for diagnosis: {kept}" in out
    assert "self-test step encode failed" in (kept / "data" / "logs" / "muskan.log").read_text()


def test_a_bug_in_a_step_is_that_steps_verdict_and_the_rest_still_run(own_tmp):
    def broken(st: selftest.State) -> str:
        raise KeyError("no such thing")

    steps = core_steps()
    steps.insert(2, ("broken", broken, ()))
    buf = io.StringIO()
    code = selftest.run(window=None, out=buf, step_list=steps)
    found = verdicts(buf.getvalue())
    assert code == 1
    assert found["broken"][0] == "FAIL"
    assert re.fullmatch(r"KeyError: 'no such thing' \[test_selftest\.py:\d+\]", found["broken"][1])
    assert [found[s][0] for s in ("register", "encode", "match", "report")] == ["PASS"] * 4


def test_no_window_check_is_not_a_pass(own_tmp):
    """The core-only entry (python -m muskan_desktop.cli --self-test) cannot open the window:
    that step is skipped and the exit code says the installation was not fully checked."""
    buf = io.StringIO()

    def register_only(st):
        return selftest.step_register(st)

    steps = [("register", register_only, ()), *selftest.steps(None)[-1:]]
    assert selftest.run(window=None, out=buf, step_list=steps) == 1
    assert verdicts(buf.getvalue())["window"][0] == "SKIP"


def test_the_pcs_keyring_is_left_alone(own_tmp):
    """The self-test's register key lives in memory only; the keyring is restored after."""
    keyring = pytest.importorskip("keyring")
    before = keyring.get_keyring()
    code, out = run_core()
    assert code == 0, out
    assert keyring.get_keyring() is before


def test_without_a_console_the_exit_code_still_tells(monkeypatch, own_tmp):
    """MuskanDesktop.exe (no console window) has no stdout; the verdict is the exit code."""
    monkeypatch.setattr(sys, "stdout", None)

    def fails(st):
        raise selftest.StepFailed("broken on purpose")

    assert selftest.run(window=None, step_list=[("ok", lambda st: "fine", ())]) == 0
    assert selftest.run(window=None, step_list=[("bad", fails, ())]) == 1


def test_a_module_that_does_not_load_is_named(tmp_path, monkeypatch):
    """What the modules step sees in a bundle that left a dependency out."""
    pkg = tmp_path / "stationpkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "fine.py").write_text("X = 1\n")
    (pkg / "export.py").write_text("import openpyxl_left_out_of_the_bundle\n")
    (pkg / "server.py").write_text("import fastapi_not_on_station_pcs\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    names = selftest.module_names("stationpkg", ("stationpkg.server",))
    assert sorted(names) == [
        "stationpkg",
        "stationpkg.export",
        "stationpkg.sub",
        "stationpkg.sub.fine",
    ]
    (failed,) = selftest.import_all(names)
    assert failed.startswith("stationpkg.export (ModuleNotFoundError:")
    assert "openpyxl_left_out_of_the_bundle" in failed


def test_a_bundle_without_the_native_platform_plugin_fails_the_window_step(qapp, tmp_path):
    """Off screen the window opens anyway; the officer's PC needs its own platform plugin."""
    from PySide6.QtCore import QCoreApplication

    from ui.selftest_window import native_platform_plugin

    assert native_platform_plugin()  # this installation has it
    before = QCoreApplication.libraryPaths()
    (tmp_path / "platforms").mkdir()  # a bundle whose platforms/ lacks the native plugin
    try:
        QCoreApplication.setLibraryPaths([str(tmp_path)])
        with pytest.raises(selftest.StepFailed, match="platform plugin is missing"):
            native_platform_plugin()
    finally:
        QCoreApplication.setLibraryPaths(before)
