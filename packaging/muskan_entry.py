"""The frozen bundle's entry point: the same `muskan` as `uv run muskan` (ui.launch:main)."""

import sys

from ui.launch import main

if __name__ == "__main__":
    sys.exit(main())
