#!/usr/bin/env bash
# Runs `bounceplan bench-ingest` RUNS times (default 3) and prints every run, then the median of each
# throughput figure and the machine's load: on a shared machine one run says little.
#   scripts/bench-ingest.sh [bench-ingest options…]      e.g. --webhook-mb 1024 --mbox-mb 1024
# Needs DATABASE_URL (make bench-ingest wraps it in scripts/with-db.sh) and a release build.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
binary="$here/.build/release/bounceplan"
runs=${RUNS:-3}
[ -x "$binary" ] || { echo "bench-ingest.sh: $binary is missing; run 'swift build -c release' first" >&2; exit 1; }
[ "$runs" -ge 1 ] 2>/dev/null || { echo "bench-ingest.sh: RUNS must be a number of runs, 1 or more" >&2; exit 2; }

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for run in $(seq 1 "$runs"); do
    echo "run $run of $runs, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    "$binary" bench-ingest "$@" | tee -a "$results"
done
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
# The median of every numeric field over the runs (the lower middle one for an even count).
awk '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); values[kv[1]] = values[kv[1]] " " kv[2]; if (!(kv[1] in seen)) { seen[kv[1]] = 1; order[++n] = kv[1] } } }
    END {
        line = "bench-ingest median of " NR " runs:"
        for (k = 1; k <= n; k++) {
            count = split(substr(values[order[k]], 2), list, " ")
            for (i = 2; i <= count; i++) { v = list[i]; j = i - 1; while (j > 0 && list[j] + 0 > v + 0) { list[j + 1] = list[j]; j-- } list[j + 1] = v }
            line = line " " order[k] "=" list[int((count + 1) / 2)]
        }
        print line
    }' "$results"
