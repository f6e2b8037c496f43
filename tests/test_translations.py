"""Every string the window shows has its Hindi, and the compiled .qm files are current."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "muskan_hi.ts"


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} (ships with PySide6) not found"
    return found


def test_every_ui_string_has_a_hindi_translation(tmp_path):
    copy = tmp_path / "muskan_hi.ts"
    shutil.copy(TS, copy)
    out = subprocess.run(
        [
            tool("pyside6-lupdate"),
            *map(str, sorted((ROOT / "ui").glob("*.py"))),
            "-ts",
            str(copy),
            "-no-obsolete",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"\(0 new and \d+ already existing\)", out), (
        "new UI strings: run resources/translations/update.sh and translate them\n" + out
    )
    text = copy.read_text("utf-8")
    assert 'type="unfinished"' not in text
    for src, tr in re.findall(
        r"<source>(.*?)</source>\s*<translation>(.*?)</translation>", text, re.S
    ):
        assert re.findall(r"%\d", src) == re.findall(r"%\d", tr), src


def test_compiled_translations_are_current(tmp_path):
    for name in ("muskan_hi", "qt_hi"):
        qm = tmp_path / f"{name}.qm"
        subprocess.run(
            [tool("pyside6-lrelease"), str(TS.with_name(f"{name}.ts")), "-qm", str(qm)],
            capture_output=True,
            check=True,
        )
        assert qm.read_bytes() == TS.with_name(f"{name}.qm").read_bytes(), (
            f"{name}.qm is stale: run resources/translations/update.sh"
        )
