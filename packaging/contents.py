"""What goes into the frozen bundle besides the Python modules PyInstaller finds itself.

Kept apart from muskan.spec so a cheap test (tests/test_packaging.py) can check the lists
without running PyInstaller: every translation, font, migration and self-test photo is
bundled, the face models the code loads are there, and the heavy test-only packages are not.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "Muskan Desktop"
EXE_NAME = "muskan"  # console: commands, --version, --self-test (the IT cell's tools)
GUI_EXE_NAME = "MuskanDesktop"  # Windows only: no console window; the Start-menu shortcut
BUNDLE_DIR = "muskan"  # dist/muskan/

# face_recognition_models files the app loads (faces.DlibFaces with the default settings:
# 5-point landmarks). The 68-point predictor (100 MB) is used only with
# FaceSettings(landmarks="large") and the CNN detector never; both are left out, and
# tests/test_packaging.py fails if the code starts loading a model not listed here.
FACE_MODELS = (
    "shape_predictor_5_face_landmarks.dat",
    "dlib_face_recognition_resnet_model_v1.dat",
)
FACE_MODELS_LEFT_OUT = (
    "shape_predictor_68_face_landmarks.dat",
    "mmod_human_face_detector.dat",
)

# Modules named only as strings (cli.PLUGINS, Alembic's migration scripts) are invisible to
# PyInstaller's import scan; the spec adds every submodule of these packages.
OWN_PACKAGES = ("muskan_desktop", "ui")
HIDDEN_IMPORTS = (
    # what db/env.py and db/versions/*.py import (data files to PyInstaller)
    "alembic.op",
    "alembic.context",
    "alembic.runtime.migration",
    "alembic.ddl.sqlite",
    "sqlalchemy.dialects.sqlite",
    "logging.handlers",
)

# Packages that read data files of their own at run time (and have no PyInstaller hook
# that bundles them).
DATA_PACKAGES = ("indic_transliteration",)

# Never needed at run time; some are large or drag in more (tkinter, test frameworks,
# faiss is a benchmark-only comparison, face_recognition is replaced by faces.DlibFaces
# and its models travel as data files, setuptools/pkg_resources came only with it).
EXCLUDES = (
    "tkinter",
    "_tkinter",
    "faiss",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "schemathesis",
    "mypy",
    "pypdf",
    "IPython",
    "matplotlib",
    "PyInstaller",
    "face_recognition",
    "face_recognition_models",
    "pkg_resources",
    "setuptools",
    "distutils",
    "numpy.f2py",
    "yaml",  # numpy.__config__ only, to print its build options
    # the desktop never talks to PostgreSQL (the district server does: muskan_desktop.server)
    "psycopg",
    "psycopg_binary",
    "psycopg2",
)
# Not for the station PC: the district sync server (run with uvicorn on the server).
SERVER_PACKAGES = ("muskan_desktop.server",)

# Resource files that are sources for the shipped ones, not needed at run time.
SKIP_SUFFIXES = (".ts", ".sh", ".pyc")
SKIP_DIRS = ("__pycache__",)


def _walk(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix not in SKIP_SUFFIXES
        and not any(part in SKIP_DIRS for part in p.relative_to(folder).parts)
    )


def face_models_dir() -> Path:
    """face_recognition_models' models/ folder, found without importing the package."""
    spec = importlib.util.find_spec("face_recognition_models")
    for folder in list(spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / "models").is_dir():
            return Path(folder) / "models"
    raise FileNotFoundError("face_recognition_models is not installed (run `uv sync`)")


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, folder inside the bundle) pairs, in PyInstaller's `datas` form.

    resources/ and db/ land at the bundle root, where paths.install_root() (sys._MEIPASS)
    looks for them; the face models land where faces.model_file() finds them (a
    `face_recognition_models` folder on sys.path, read as a namespace package).
    """
    out: list[tuple[str, str]] = []
    for top in ("resources", "db"):
        for path in _walk(root / top):
            out.append((str(path), str(path.parent.relative_to(root))))
    models = face_models_dir()
    for name in FACE_MODELS:
        out.append((str(models / name), "face_recognition_models/models"))
    return out


def keep_qt_file(dest: str) -> bool:
    """Qt's own translations (all languages, ~10 MB) are not used: the app ships qt_hi.qm."""
    parts = Path(dest).parts
    return not ("Qt" in parts and "translations" in parts and parts[0] == "PySide6")
