"""Screenshots of the match alert inbox, the comparison view and a photo search (issue 5).

Seeds a register with a few cases carrying the shared face photos, so the shots show real
dlib results: a missing boy photographed at two ages and the same face on two found
children's records (two alerts); the photo searches are for a face in the register and for
one that is not (biden.jpg: no candidate close enough to alert).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from muskan_desktop import places
from muskan_desktop.cases import CaseService
from muskan_desktop.context import open_context
from muskan_desktop.matching import MatchService


def seed(home: Path, faces: Path) -> None:
    ctx = open_context(home, actor="SI R. Kujur")
    try:
        svc = CaseService(ctx)
        with ctx.db.write() as s:
            svc.set_own_station(s, places.find_station("Ambikapur")[0])
        missing = svc.create(
            {
                "kind": "missing",
                "name_latin": "Ramesh Minj",
                "name_deva": "रमेश मिंज",
                "sex": "M",
                "age_years": 11,
                "last_seen_on": "2026-03-01",
                "last_seen_place": "Ambikapur bus stand",
                "languages": "Hindi, Sadri",
                "identification_marks": "mole on left cheek",
                "clothing": "blue shirt, grey shorts",
                "height_cm": 138,
                "investigating_officer": "SI R. Kujur",
            },
            district="Surguja",
        ).id
        found = svc.create(
            {
                "kind": "found",
                "name_latin": "Ramu",
                "sex": "M",
                "age_years": 12,
                "found_on": "2026-10-20",
                "found_place": "Jashpur bus stand",
                "cci_name": "Balgrih Jashpur",
                "cci_address": "Collectorate Road, Jashpur Nagar",
                "cci_contact": "07763222333",
                "languages": "Sadri",
                "identification_marks": "small mole on cheek",
                "clothing": "blue shirt",
                "height_cm": 141,
            },
            district="Jashpur",
        ).id
        found2 = svc.create(
            {
                "kind": "found",
                "name_latin": "Unknown boy",
                "sex": "M",
                "age_years": 12,
                "found_on": "2026-09-02",
                "found_place": "Baikunthpur market",
                "cci_name": "Open shelter Baikunthpur",
                "cci_contact": "07836232100",
                "languages": "Hindi",
            },
            district="Koriya",
        ).id
        ms = MatchService(ctx)
        ms.add_photo(missing, faces / "obama3.jpg", taken_on="2025-01-15")
        ms.add_photo(missing, faces / "obama.jpg", taken_on="2026-02-01")
        ms.add_photo(found2, faces / "obama_partial_face2.jpg")
        ms.add_photo(found, faces / "obama2.jpg")
    finally:
        ctx.db.close()


def shoot_matches(app: Any, home: Path, faces: Path, out: Path) -> None:
    from PySide6.QtCore import QEventLoop

    from muskan_desktop.paths import DB_FILENAME
    from ui.app import build_window
    from ui.screenshots import settle, shoot

    if not (home / DB_FILENAME).exists():
        seed(home, faces)
    win = build_window(home, app=app)
    win.move(0, 0)
    win.resize(1360, 840)
    win.show()
    loop = QEventLoop()
    win.searchFinished.connect(lambda _n: loop.quit())
    win.start()
    loop.exec()
    for lang in ("en", "hi"):
        win.switch_language(lang)
        settle(1500)  # the alert badge's first poll
        shoot(win, out / f"main-alert-badge-{lang}.png")
        inbox = win.alerts.open_inbox()
        inbox.move(20, 0)
        inbox.resize(1300, 520)
        win.runner.wait_all()
        settle(800)
        shoot(inbox, out / f"alert-inbox-{lang}.png")
        view = win.alerts.open_compare(inbox.rows[0])
        view.move(0, 0)
        view.resize(1390, 880)
        win.runner.wait_all()
        settle(1500)
        view.marks_box.setChecked(True)
        view.blend_slider.setValue(50)
        settle(300)
        shoot(view, out / f"compare-{lang}.png")
        view.tabs.setCurrentIndex(1)
        view.marks_box.setChecked(False)
        view.zoom_slider.setValue(60)
        settle(300)
        shoot(view, out / f"compare-candidates-{lang}.png")
        view.close()
        for photo in ("obama_partial_face.jpg", "biden.jpg"):
            search = win.alerts.open_search(faces / photo)
            search.move(40, 20)
            win.runner.wait_all()
            settle(1200)
            shoot(search, out / f"photo-search-{Path(photo).stem}-{lang}.png")
            search.close()
        inbox.close()
    win.close()
