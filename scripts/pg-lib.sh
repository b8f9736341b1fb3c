# Shared by postgres-test.sh and backup-drill.sh (sourced, not run): find PostgreSQL's
# server binaries, installing the Debian package when they are missing, and prepare to run
# them as the postgres system user when we are root (initdb refuses to run as root).
# Sets BINDIR and the RUN array, and defines start_cluster / stop_cluster.

find_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BINDIR=$(find_bindir || true)
if [ -z "$BINDIR" ] || [ ! -x "$BINDIR/initdb" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq postgresql >/dev/null
  BINDIR=$(find_bindir)
fi

RUN=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /nonexistent postgres
  RUN=(runuser -u postgres --)
fi

# start_cluster DATADIR SUPERUSER LOGFILE: a throwaway cluster (trust auth, fsync off) on
# 127.0.0.1:$PORT with its socket in $TMP.
start_cluster() {
  "${RUN[@]}" "$BINDIR/initdb" -D "$1" -U "$2" --auth=trust -E UTF8 >/dev/null
  "${RUN[@]}" "$BINDIR/pg_ctl" -D "$1" -l "$3" -w \
    -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
}

# stop_cluster DATADIR: stop it if it runs (for cleanup traps).
stop_cluster() {
  "${RUN[@]}" "$BINDIR/pg_ctl" -D "$1" -m fast stop >/dev/null 2>&1 || true
}
