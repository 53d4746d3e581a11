#!/bin/bash
# The planner-luck case of issue 15: `bounceplan run` over EVENTS sample events on a freshly migrated
# database, then over the same events in a copy whose (empty) plan tables were VACUUM ANALYZEd first, as
# a DBA's routine maintenance does. Prints each run's seconds and phases. Needs DATABASE_URL of the form
# postgresql:///postgres?… (scripts/with-db.sh gives one) and a release build:
#   swift build -c release && scripts/with-db.sh scripts/bench-planner-luck.sh
set -euo pipefail
cd "$(dirname "$0")/.."
events=${EVENTS:-1000000}
program=.build/release/bounceplan
admin=${DATABASE_URL:?set DATABASE_URL, e.g. by running this under scripts/with-db.sh}
url() { printf '%s' "${admin/\/postgres\?//$1?}"; }
phases() {
    python3 -c 'import json, sys; d = json.load(sys.stdin); print("seconds=%.2f" % d["seconds"], " ".join("%s=%.2f" % (k, v) for k, v in sorted(d["phaseSeconds"].items())))'
}
psql "$admin" -qc "DROP DATABASE IF EXISTS bounceplan_luck" -c "DROP DATABASE IF EXISTS bounceplan_luck_analyzed"
psql "$admin" -qc "CREATE DATABASE bounceplan_luck"
"$program" migrate --database-url "$(url bounceplan_luck)" >/dev/null
"$program" sample-events --count "$events" --seed 42 --tail-domains 30000 --database-url "$(url bounceplan_luck)"
psql "$(url bounceplan_luck)" -qc "VACUUM ANALYZE bounce_events"
psql "$admin" -qc "CREATE DATABASE bounceplan_luck_analyzed TEMPLATE bounceplan_luck"
psql "$(url bounceplan_luck_analyzed)" -qc "VACUUM ANALYZE event_outcomes, soft_bounces, last_deliveries, suppressions, retry_schedule, rate_limits, sender_issues, storms, storm_baselines"
echo "fresh migrate:            $("$program" run --json --statement-timeout 10min --database-url "$(url bounceplan_luck)" | phases)"
echo "plan tables analyzed:     $("$program" run --json --statement-timeout 10min --database-url "$(url bounceplan_luck_analyzed)" | phases)"
psql "$admin" -qc "DROP DATABASE bounceplan_luck" -c "DROP DATABASE bounceplan_luck_analyzed"
