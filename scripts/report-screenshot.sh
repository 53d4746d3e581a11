#!/usr/bin/env bash
# Renders out/report.html in a real headless browser (Debian's chromium) to out/report.png, to check
# how the HTML report looks. When out/report.html does not exist it first makes one from demo data:
# a throwaway PostgreSQL (or $DATABASE_URL), eight nightly runs of sample events, then `bounceplan report`.
# (`make demo` also writes out/report.html.)  Install the browser with: apt-get install chromium
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BOUNCEPLAN:-.build/debug/bounceplan}

if [ "${1:-}" = "--generate" ]; then
    "$bin" migrate >/dev/null
    for night in 1 2 3 4 5 6 7 8; do
        "$bin" sample-events --count $((1200 + night * 250 + (night % 3) * 400)) --seed "$night" >/dev/null
        "$bin" run >/dev/null
    done
    mkdir -p out
    "$bin" report --format html --output out/report.html
    exit 0
fi

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "report-screenshot.sh: no chromium found: apt-get install chromium" >&2; exit 1; }

if [ ! -f out/report.html ]; then
    swift build >/dev/null
    scripts/with-db.sh "$0" --generate
fi
# --no-sandbox: the sandbox cannot start as root in a container; the page is our own file.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$PWD/out/report.png" \
    --window-size=1280,1800 "file://$PWD/out/report.html" 2>/dev/null
echo "wrote out/report.png from out/report.html"
