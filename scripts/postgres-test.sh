#!/usr/bin/env bash
# Run the storage and web tests on a throwaway PostgreSQL server.
# Installs PostgreSQL from Debian packages when missing, runs initdb in a temp dir as a
# non-root user, starts it on a free port, runs pytest with HEALTHPM_TEST_DATABASE_URL set,
# and stops the server and deletes the temp dir on exit (also on failure or Ctrl-C).
# Usage: scripts/postgres-test.sh [pytest args...]   (default: tests/web tests/navigator)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

# shellcheck source=scripts/pg-lib.sh
source scripts/pg-lib.sh

TMP=$(mktemp -d /tmp/healthpm-pg.XXXXXX)
chmod 755 "$TMP"
[ "$(id -u)" -eq 0 ] && chown postgres "$TMP"
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  stop_cluster "$TMP/data"
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

start_cluster "$TMP/data" healthpm "$TMP/server.log"
"${RUN[@]}" "$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U healthpm healthpm_test

export HEALTHPM_TEST_DATABASE_URL="postgresql+psycopg://healthpm@127.0.0.1:$PORT/healthpm_test"
echo "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on port $PORT" >&2
if [ "$#" -eq 0 ]; then set -- tests/web tests/navigator; fi
.venv/bin/pytest -m "not browser" "$@"
