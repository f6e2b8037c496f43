"""The `muskan` entry point: the core's command line, with the desktop app as its default."""

from __future__ import annotations

import sys
from pathlib import Path

from muskan_desktop.cli import main as cli_main


def open_gui(home: Path) -> int:
    from ui.app import run  # Qt is imported only when the window is wanted

    return run(home)


def self_test() -> int:
    """`muskan --self-test`: the core's checks plus the main window, off screen."""
    import logging
    import os

    from muskan_desktop.selftest import run
    from ui.selftest_window import check_window

    code = run(window=check_window)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):  # None in the Windows exe without a console
        if stream is not None:
            stream.flush()
    os._exit(code)  # skip interpreter teardown of live Qt objects (PySide6 may crash there)


def main() -> int:
    if getattr(sys, "frozen", False):  # the Windows bundle: child processes of match_batch
        import multiprocessing

        multiprocessing.freeze_support()
    argv = sys.argv[1:]
    if "--self-test" in argv:
        return self_test()
    return cli_main(argv, open_gui=open_gui)


if __name__ == "__main__":
    sys.exit(main())
