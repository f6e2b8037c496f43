"""Screenshots of the real app, for reviews and the closing notes of issues.

    xvfb-run -s "-screen 0 1400x900x24" uv run python -m ui.screenshots --home DIR --out DIR

Opens the register on DIR (fill it first with `muskan --home DIR demo --cases 100000`), then
the missing-child form, the found-child form and a case view, in English and in Hindi, and
saves each window as it is on the (virtual) screen.

    xvfb-run -a -s "-screen 0 1400x900x24" uv run python -m ui.screenshots --home NEWDIR \
        --out DIR --matches ../shared/data/faces

seeds a few cases with the shared face photos and shoots the match alert inbox, the
comparison view (eye-aligned faces) and a photo search, in English and in Hindi.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget, path: Path) -> None:
    widget.raise_()
    widget.activateWindow()
    settle()
    screen = QApplication.primaryScreen()
    geo = widget.frameGeometry()
    pix = screen.grabWindow(0, geo.x(), geo.y(), geo.width(), geo.height())
    if pix.isNull() or pix.width() < 10:
        pix = widget.grab()
    pix.save(str(path))
    print(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--matches",
        metavar="FACES_DIR",
        help="instead: seed match cases from the shared faces into HOME and shoot the alert "
        "inbox, the comparison view and a photo search",
    )
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from ui.app import build_window, create_app

    app = create_app()
    if args.matches:
        from ui.screenshots_matches import shoot_matches

        shoot_matches(app, Path(args.home), Path(args.matches), out)
        return
    win = build_window(Path(args.home), app=app)
    win.move(0, 0)
    win.resize(1366, 740)  # a common police laptop screen, less the taskbar
    win.show()
    loop = QEventLoop()
    win.searchFinished.connect(lambda _n: loop.quit())
    win.start()
    loop.exec()
    from sqlalchemy import func, select

    from muskan_desktop.models import Case, TracingEntry

    with win.ctx.db.read() as s:  # a case with a history worth showing
        case_id = s.scalar(
            select(Case.id)
            .join(TracingEntry, TracingEntry.case_id == Case.id)
            .where(Case.status == "restored", Case.located_state != "Chhattisgarh")
            .group_by(Case.id)
            .having(func.count() >= 2)
            .limit(1)
        )
    for lang in ("en", "hi"):
        win.switch_language(lang)
        win.status_combo.setCurrentIndex(0)
        settle()
        shoot(win, out / f"register-{lang}.png")
        for kind in ("missing", "found"):
            win.new_case(kind)
            form = win.case_windows[-1]
            form.move(40, 0)
            form.resize(780, 880)
            if kind == "missing":
                form.widgets["name_latin"].setText("Sunita Minj")
                form.widgets["name_deva"].setText("सुनीता मिंज")
                form.widgets["last_seen_on"].setText("2031-01-01")  # shows the inline message
            shoot(form, out / f"form-{kind}-{lang}.png")
            form.dirty = False
            form.close()
        win.open_case(case_id)
        view = win.case_windows[-1]
        view.move(60, 20)
        for tab in range(view.tabs.count()):
            view.tabs.setCurrentIndex(tab)
            if tab in (0, 2, 4):
                shoot(view, out / f"case-view-tab{tab}-{lang}.png")
        view.close()
    win.close()


if __name__ == "__main__":
    main()
