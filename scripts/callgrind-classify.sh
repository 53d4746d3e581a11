#!/bin/sh
# Instruction counts of `classify --tsv` (valgrind's callgrind): start-up alone (empty input) and per
# line over the first LINES lines of a bench-classify mix, so changes to the classifier can be compared
# on a machine that other jobs keep busy (instruction counts do not depend on the load; wall time does).
# Usage: scripts/callgrind-classify.sh BINARY MIX.tsv [LINES] [OUTDIR]
#   BINARY: a release build; its DWARF 5 debug info is stripped in a copy (valgrind 3.19 cannot read it)
#   MIX.tsv: e.g. from `bounceplan bench-classify --lines 1000000 --runs 1 --keep-input MIX.tsv`
# Prints start-up and per-line instructions; OUTDIR keeps the callgrind files for callgrind_annotate.
# The rules cache lives in OUTDIR/cache: the first start-up writes it (cold), the later runs read it.
set -eu
binary=$1 mix=$2 lines=${3:-100000} out=${4:-$(mktemp -d)}
config=${BOUNCEPLAN_CONFIG_DIR:-$(pwd)/Config}
mkdir -p "$out"
cp "$binary" "$out/bounceplan" && strip --strip-debug "$out/bounceplan"
head -n "$lines" "$mix" > "$out/mix.tsv"
count() {
    BOUNCEPLAN_CONFIG_DIR=$config BOUNCEPLAN_CACHE_DIR=$out/cache valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$out/$1.callgrind" \
        "$out/bounceplan" classify --tsv < "$2" > /dev/null 2> "$out/$1.log"
    sed -n 's/.*refs: *//p' "$out/$1.log" | tr -d ,
}
rm -rf "$out/cache"
cold=$(count startup-cold /dev/null)
startup=$(count startup /dev/null)
total=$(count lines "$out/mix.tsv")
echo "startup_instructions=$startup startup_cold_cache=$cold per_line_instructions=$(( (total - startup) / lines ))" \
    "lines=$lines total=$total files=$out"
