"""Fonts and languages: Noto Sans Devanagari registered at start; Hindi/English at run time."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase

from muskan_desktop.paths import resource

log = logging.getLogger(__name__)
LANGUAGES = {"en": "English", "hi": "हिन्दी"}
_installed: list[QTranslator] = []


def register_fonts() -> list[str]:
    """Bundled fonts, so Hindi renders on a PC that has no Hindi font installed."""
    families: list[str] = []
    for path in sorted(resource("fonts").glob("*.ttf")):
        fid = QFontDatabase.addApplicationFont(str(path))
        if fid < 0:
            log.warning("font %s could not be registered", path.name)
            continue
        for fam in QFontDatabase.applicationFontFamilies(fid):
            if fam not in families:
                families.append(fam)
    return families


def apply_app_font(app: QCoreApplication) -> None:
    font = QFont()
    font.setFamilies(["Noto Sans Devanagari", "Noto Sans"])
    font.setPointSize(10)
    app.setFont(font)  # type: ignore[attr-defined]


def set_language(app: QCoreApplication, code: str) -> None:
    """Swap translators; Qt then sends LanguageChange to every widget, which retranslates."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    QLocale.setDefault(
        QLocale(
            QLocale.Language.Hindi if code == "hi" else QLocale.Language.English,
            QLocale.Country.India,
        )
    )
    if code == "en":
        return
    folder = resource("translations")
    for name in (f"muskan_{code}", f"qt_{code}"):
        t = QTranslator(app)
        if t.load(name, str(folder)):
            app.installTranslator(t)
            _installed.append(t)
        else:
            log.warning("translation %s not found", name)
