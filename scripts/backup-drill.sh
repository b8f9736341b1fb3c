#!/usr/bin/env bash
# The backup and restore drill of docs/operating.md, run for real on a throwaway PostgreSQL.
#
# The backup and restore commands are read from docs/operating.md itself (the ```sh blocks of
# "## 8. Backups" and "## 9. Restore"), so the drill fails when the docs go wrong. Only the
# machine-specific parts are swapped, and each command is printed as run:
#   sudo -u postgres CMD        -> CMD as the PostgreSQL superuser (PGUSER=postgres)
#   sudo systemctl stop|start   -> stop|start the drill's `healthpm serve` (db upgrade first,
#                                  as deploy/healthpm.service does)
#   /var/backups, /srv/healthpm -> directories in a temp dir; DATE -> today's date
#   127.0.0.1:8000              -> the drill server's free port
# PGHOST/PGPORT point every client at the throwaway server.
#
# Steps: set up the role and database as section 3 does; start the server; add a coach and two
# candidates (plans with ticked tasks and hours, answers, shares, a coach comment) and record
# what each is served; back up; add an account after the backup and lose the data dir; restore;
# check that the server answers /healthz, serves everyone the same as before, keeps sessions
# and form tokens from before the backup, and no longer has the later account.
# Usage: scripts/backup-drill.sh    (PostgreSQL from Debian packages is installed if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
DOC=${DRILL_DOC:-$ROOT/docs/operating.md}  # DRILL_DOC: try the drill on a draft of the guide

# shellcheck source=scripts/pg-lib.sh
source scripts/pg-lib.sh

TMP=$(mktemp -d /tmp/healthpm-drill.XXXXXX)
chmod 755 "$TMP"
[ "$(id -u)" -eq 0 ] && chown postgres "$TMP"
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
APP_PORT=$(free_port)
BACKUPS=$TMP/backups
SRV=$TMP/srv
SERVER_PID=""
mkdir -p "$BACKUPS" "$SRV/data"

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup() {
  stop_server
  stop_cluster "$TMP/pg"
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

start_cluster "$TMP/pg" postgres "$TMP/pg.log"
export PGHOST=127.0.0.1 PGPORT=$PORT
export PATH="$BINDIR:$ROOT/.venv/bin:$PATH"
as_postgres() { PGUSER=postgres "$@"; }

# Section 3, with trust authentication instead of a password (a throwaway server).
as_postgres createuser healthpm
as_postgres createdb --owner healthpm healthpm

export HEALTHPM_DATABASE_URL="postgresql+psycopg://healthpm@127.0.0.1:$PORT/healthpm"
export HEALTHPM_DATA_DIR=$SRV/data HEALTHPM_ENV=production HEALTHPM_MULTI_USER=true
export HEALTHPM_PORT=$APP_PORT HEALTHPM_HOST=127.0.0.1 HEALTHPM_PRELOAD_MODEL=false
export HF_HUB_OFFLINE=1
unset HEALTHPM_SECRET_KEY HEALTHPM_PUBLIC_URL HEALTHPM_SIGNUP
URL="http://127.0.0.1:$APP_PORT"

start_server() {
  healthpm db upgrade
  healthpm serve >>"$TMP/serve.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    if curl -sf "$URL/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.5
  done
  tail -n 20 "$TMP/serve.log" >&2
  echo "backup drill: FAILED: the server did not start" >&2
  exit 1
}

# The ```sh blocks of one section of the guide, with the swaps above.
doc_commands() {
  awk -v section="$1" '
    /^## / { inside = index($0, section) == 1 }
    inside && /^```sh/ { code = 1; next }
    code && /^```/ { code = 0; next }
    inside && code { print }
  ' "$DOC" | sed \
    -e 's#sudo -u postgres #as_postgres #g' \
    -e 's#sudo systemctl stop healthpm#stop_server#g' \
    -e 's#sudo systemctl start healthpm#start_server#g' \
    -e 's#sudo -u healthpm ##g' -e 's#sudo ##g' -e 's#^hpm #healthpm #' \
    -e "s#/var/backups#$BACKUPS#g" -e "s#/srv/healthpm#$SRV#g" \
    -e 's#DATE#$(date +%F)#g' -e "s#127.0.0.1:8000#127.0.0.1:$APP_PORT#g"
}

run_doc() {
  local commands
  commands=$(doc_commands "$1")
  [ -n "$commands" ] || { echo "backup drill: FAILED: no commands under '$1' in $DOC" >&2; exit 1; }
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    echo "+ $line" >&2
    eval "$line"
  done <<<"$commands"
}
mkdir -p "$TMP/cwd"  # where the guide's relative paths (nadia.json) land

start_server
for who in "coach@bootcamp.test --role coach" "nadia@cohort.test" "marcus@cohort.test"; do
  # shellcheck disable=SC2086
  echo "Drill-backup-restore-2026" | healthpm user create $who --password-stdin >/dev/null
done
"$PYTHON" scripts/backup_drill.py seed "$URL" "$TMP/state.json"
secret_before=$(cat "$SRV/data/secret_key")

echo "== backup ($DOC, section 8)" >&2
cd "$TMP/cwd" && run_doc "## 8. Backups" && cd "$ROOT"
ls "$BACKUPS"/healthpm-*.dump "$BACKUPS"/healthpm-data-*.tgz >/dev/null
exports=$(ls "$BACKUPS"/healthpm-accounts-*/ | wc -l)
[ "$exports" -ge 3 ] || { echo "backup drill: FAILED: export --all wrote $exports files" >&2; exit 1; }

# The disaster: a change after the backup, then the server stops and its data dir is lost.
echo "Drill-backup-restore-2026" | healthpm user create late@cohort.test --password-stdin >/dev/null
stop_server
rm -rf "$SRV/data"

echo "== restore ($DOC, section 9)" >&2
cd "$TMP/cwd" && run_doc "## 9. Restore" && cd "$ROOT"
echo >&2

status=$(curl -s "$URL/healthz")
[ "$status" = '{"status":"ok","database":"ok"}' ] || { echo "backup drill: FAILED: /healthz said $status" >&2; exit 1; }
[ "$(cat "$SRV/data/secret_key")" = "$secret_before" ] || { echo "backup drill: FAILED: the key was not restored" >&2; exit 1; }
if healthpm user list | grep -q late@cohort.test; then
  echo "backup drill: FAILED: an account made after the backup survived the restore" >&2; exit 1
fi
"$PYTHON" scripts/backup_drill.py check "$URL" "$TMP/state.json"
echo "backup drill: ok (PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}'))"
