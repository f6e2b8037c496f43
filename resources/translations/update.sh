#!/usr/bin/env bash
# Regenerate the Hindi translation sources and compile them.
#   resources/translations/update.sh
# lupdate keeps existing translations; new strings appear as unfinished in muskan_hi.ts.
set -euo pipefail
cd "$(dirname "$0")/../.."

uv run pyside6-lupdate ui/*.py -ts resources/translations/muskan_hi.ts \
    -source-language en -target-language hi -no-obsolete
uv run pyside6-lrelease resources/translations/muskan_hi.ts -qm resources/translations/muskan_hi.qm
uv run pyside6-lrelease resources/translations/qt_hi.ts -qm resources/translations/qt_hi.qm
