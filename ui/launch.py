"""The `muskan` entry point: the core's command line, with the desktop app as its default."""

from __future__ import annotations

import sys
from pathlib import Path

from muskan_desktop.cli import main as cli_main


def open_gui(home: Path) -> int:
    from ui.app import run  # Qt is imported only when the window is wanted

    return run(home)


def main() -> int:
    return cli_main(sys.argv[1:], open_gui=open_gui)


if __name__ == "__main__":
    sys.exit(main())
