"""The core never imports widgets, and heavy libraries stay off its import path."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "muskan_desktop"


def test_core_does_not_import_qt_widgets_or_ui():
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for n in names:
                if n.startswith(("PySide6.QtWidgets", "PySide6.QtGui", "ui")) or n == "ui":
                    offenders.append(f"{path.name}: {n}")
    assert offenders == []


def test_cli_start_does_not_load_dlib_or_reportlab():
    code = (
        "import sys, muskan_desktop.cli, muskan_desktop.cases, muskan_desktop.search;"
        "print(sorted(m for m in ('dlib','face_recognition','reportlab','PySide6') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
