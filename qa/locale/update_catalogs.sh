#!/usr/bin/env bash
# Extract every _()/ngettext()/N_() string into messages.pot and merge it into each language's
# messages.po (new strings arrive empty, changed ones marked fuzzy: both fail tests/qa/test_catalogs.py
# until translated). See docs/languages.md. `--compile` also writes the .mo files (optional: the app
# compiles a .po in memory when its .mo is missing or older).
set -euo pipefail
cd "$(dirname "$0")/../.."
pybabel="${PYBABEL:-.venv/bin/pybabel}"
# Besides Babel's own keywords (_, ngettext, N_...): scorecards' explanation templates.
keywords=(-k explain -k explain_plural:1,2)
"$pybabel" extract -F babel.cfg "${keywords[@]}" --no-location --sort-output --add-comments "Translators:" \
  --project callqa --copyright-holder callqa -o qa/locale/messages.pot .
"$pybabel" update -i qa/locale/messages.pot -d qa/locale --ignore-obsolete --width 100
if [ "${1:-}" = "--compile" ]; then
  "$pybabel" compile -d qa/locale --statistics
fi
