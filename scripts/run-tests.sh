#!/usr/bin/env bash
# Runs the test suite and, when it fails, repeats the failing tests' issues at the very end: a CI log
# is often read from its tail, and the suite's own summary names no test.
set -uo pipefail
log=$(mktemp "${TMPDIR:-/tmp}/bounceplan-test.XXXXXX")
trap 'rm -f "$log"' EXIT
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    echo
    echo "==== failing tests (repeated from above) ===="
    grep -E '✘|recorded an issue|Expectation failed|Fatal error|error:' "$log" | cut -c1-400 | tail -n 60
    echo "==== exit status $status ===="
fi
exit "$status"
