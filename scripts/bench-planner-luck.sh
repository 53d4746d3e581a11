#!/bin/bash
# The planner-luck case of issue 15: `bounceplan run` over EVENTS sample events on a freshly migrated
# database, then over the same events in a copy whose (empty) plan tables were VACUUM ANALYZEd first, as
# a DBA's routine maintenance does, and in a third copy run as a login of the least-privilege role
# bounceplan_planner (sql/roles.sql). Prints each run's seconds, phases and its ratio to the fresh run
# (issue 15's target: each within 1.5×). Needs DATABASE_URL of the form postgresql:///postgres?…
# (scripts/with-db.sh gives one) and a release build:
#   swift build -c release && scripts/with-db.sh scripts/bench-planner-luck.sh
set -euo pipefail
cd "$(dirname "$0")/.."
events=${EVENTS:-1000000}
program=${PROGRAM:-.build/release/bounceplan}
admin=${DATABASE_URL:?set DATABASE_URL, e.g. by running this under scripts/with-db.sh}
url() { printf '%s' "${admin/\/postgres\?//$1?}"; }
phases() {
    python3 -c 'import json, sys; d = json.load(sys.stdin); print("seconds=%.2f" % d["seconds"], " ".join("%s=%.2f" % (k, v) for k, v in sorted(d["phaseSeconds"].items())), "client_cpu=%.2f server_cpu=%.2f" % (sum(d.get("phaseCPUSeconds", {}).values()), sum(d.get("phaseServerCPUSeconds", {}).values())))'
}
seconds() { sed -E 's/^seconds=([0-9.]+).*/\1/'; }
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
for db in bounceplan_luck bounceplan_luck_analyzed bounceplan_luck_role; do psql "$admin" -qc "DROP DATABASE IF EXISTS $db"; done
psql "$admin" -qc "CREATE DATABASE bounceplan_luck"
"$program" migrate --database-url "$(url bounceplan_luck)" >/dev/null
"$program" sample-events --count "$events" --seed 42 --tail-domains 30000 --database-url "$(url bounceplan_luck)"
psql "$(url bounceplan_luck)" -qc "VACUUM ANALYZE bounce_events"
psql "$admin" -qc "CREATE DATABASE bounceplan_luck_analyzed TEMPLATE bounceplan_luck"
psql "$admin" -qc "CREATE DATABASE bounceplan_luck_role TEMPLATE bounceplan_luck"
psql "$(url bounceplan_luck_analyzed)" -qc "VACUUM ANALYZE event_outcomes, soft_bounces, last_deliveries, suppressions, retry_schedule, rate_limits, sender_issues, storms, storm_baselines"
psql "$(url bounceplan_luck_role)" -qf sql/roles.sql
psql "$(url bounceplan_luck_role)" -qc "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bounceplan_luck_login') THEN CREATE ROLE bounceplan_luck_login LOGIN IN ROLE bounceplan_planner; END IF; END \$\$"
fresh=$("$program" run --json --statement-timeout 10min --database-url "$(url bounceplan_luck)" | phases)
analyzed=$("$program" run --json --statement-timeout 10min --database-url "$(url bounceplan_luck_analyzed)" | phases)
role=$("$program" run --json --statement-timeout 10min --database-url "$(url bounceplan_luck_role)&user=bounceplan_luck_login" | phases)
echo "fresh migrate:            $fresh"
echo "plan tables analyzed:     $analyzed  ratio=$(ratio "$(seconds <<<"$analyzed")" "$(seconds <<<"$fresh")")"
echo "as bounceplan_planner:    $role  ratio=$(ratio "$(seconds <<<"$role")" "$(seconds <<<"$fresh")")"
for db in bounceplan_luck bounceplan_luck_analyzed bounceplan_luck_role; do psql "$admin" -qc "DROP DATABASE $db"; done
