#!/usr/bin/env bash
# Throwaway PostgreSQL for `make demo`, `make test` and `make bench`: a private cluster on a Unix
# socket only (no TCP), recorded in .pg/location so that `db.sh stop` finds it again.
#   scripts/db.sh start   start (or reuse) the cluster; prints nothing on success
#   scripts/db.sh url     print the DATABASE_URL of the running cluster
#   scripts/db.sh stop    stop it and remove its folder
#   scripts/db.sh status  exit 0 when it runs
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# Each user of a throwaway cluster names its own record (make db-start: .pg; with-db.sh: one per run).
state="$here/${BOUNCEPLAN_PG_STATE:-.pg}"
port=5432

fail() { echo "db.sh: $*" >&2; exit 1; }

pg_bin() {
    local candidate
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$candidate/pg_ctl" ] && { echo "$candidate"; return; }
    done
    fail "PostgreSQL server binaries not found (looked for pg_ctl on PATH and in /usr/lib/postgresql/*/bin): install them with 'apt-get install postgresql', or set DATABASE_URL to a server you already run"
}

# PostgreSQL refuses to run as root: as root, act as the postgres user on a folder it owns.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || fail "running as root but there is no 'postgres' user to run the server as (install the postgresql package, or run as an ordinary user)"
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

location() { [ -f "$state/location" ] && cat "$state/location" || true; }

url_for() { echo "postgresql:///postgres?host=$1&port=$port&user=postgres"; }

running() {
    local dir; dir=$(location)
    [ -n "$dir" ] && [ -d "$dir/data" ] && as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

start() {
    if running; then return 0; fi
    local bin dir
    bin=$(pg_bin)
    mkdir -p "$state"
    # A stale record from a crashed run: forget it.
    [ -n "$(location)" ] && rm -rf "$(location)" "$state/location"
    dir=$(mktemp -d /tmp/bounceplan-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    echo "$dir" > "$state/location"
    if ! as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        fail "initdb failed in $dir (log above)"
    fi
    # Throwaway data: durability settings off, so tests and benchmarks measure our code, not fsync.
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB -c max_wal_size=4GB -c work_mem=64MB -c maintenance_work_mem=256MB" \
        start >"$dir/pg_ctl.log" 2>&1; then
        cat "$dir/pg_ctl.log" "$dir/server.log" >&2 2>/dev/null || true
        fail "PostgreSQL did not start (server log above; folder $dir)"
    fi
}

stop() {
    local dir; dir=$(location)
    [ -n "$dir" ] || return 0
    if [ -d "$dir/data" ]; then
        as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir" "$state/location"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) running || fail "no throwaway PostgreSQL is running: run 'make db-start'"; url_for "$(location)" ;;
    status) running ;;
    *) echo "usage: scripts/db.sh start|stop|url|status" >&2; exit 2 ;;
esac
