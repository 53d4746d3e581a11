#!/usr/bin/env bash
# The main job on sample data: migrate, load a few thousand realistic bounce events, run the planner,
# show the summary and the first lines of the plans. Needs DATABASE_URL (scripts/with-db.sh sets it).
set -euo pipefail
bin=${BOUNCEPLAN:-.build/debug/bounceplan}
step() { printf '\n== %s\n' "$*"; }

step "bounceplan migrate"
"$bin" migrate
step "bounceplan sample-events --count 3000"
"$bin" sample-events --count 3000
step "bounceplan ingest dsn Demo/bounces (a return-path mailbox: reports, MTA bounces, a complaint, an auto-reply)"
"$bin" ingest dsn Demo/bounces
step "bounceplan run"
"$bin" run
mkdir -p out
step "bounceplan export suppressions --output out/suppressions.csv (first lines)"
"$bin" export suppressions --output out/suppressions.csv
head -n 11 out/suppressions.csv
step "bounceplan export retries --output out/retries.csv (first lines)"
"$bin" export retries --output out/retries.csv
head -n 11 out/retries.csv
step "rate limits"
psql "$DATABASE_URL" -X -q -P pager=off -c "SELECT destination, source, max_per_hour, reason, until FROM rate_limits ORDER BY event_count DESC, destination LIMIT 10"
step "sender issues"
psql "$DATABASE_URL" -X -q -P pager=off -c "SELECT source, destination, reason, event_count, severity FROM sender_issues ORDER BY event_count DESC, reason LIMIT 10"
recipient=$(psql "$DATABASE_URL" -X -A -t -q -c "SELECT lower(e.recipient) FROM event_outcomes o JOIN bounce_events e ON e.id = o.event_id WHERE o.destination IS NOT NULL AND o.outcome <> 'delivered' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
step "bounceplan explain $recipient"
"$bin" explain "$recipient"
step "a second run finds nothing new"
"$bin" run
step "bounceplan report --format html --output out/report.html"
mkdir -p out
"$bin" report --format html --output out/report.html
echo "open out/report.html in a browser (make report-screenshot renders it to out/report.png)"
