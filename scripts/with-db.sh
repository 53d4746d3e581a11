#!/usr/bin/env bash
# Runs a command with DATABASE_URL set: the caller's own when set, else a throwaway PostgreSQL that
# is started first and stopped afterwards, whatever the command's outcome. Exits with the command's status.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${DATABASE_URL:-}" ]; then
    exec "$@"
fi
# A cluster of our own, so a developer's `make db-start` cluster is neither reused nor stopped.
export BOUNCEPLAN_PG_STATE=".pg-run-$$"
if ! "$here/db.sh" start; then
    echo "with-db.sh: could not start a throwaway PostgreSQL (see above); set DATABASE_URL to use an existing server" >&2
    exit 1
fi
trap '"$here/db.sh" stop; rmdir "$here/../$BOUNCEPLAN_PG_STATE" 2>/dev/null' EXIT
DATABASE_URL=$("$here/db.sh" url)
export DATABASE_URL
"$@"
