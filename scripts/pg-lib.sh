# Shared by postgres-test.sh and backup-drill.sh (sourced, not run): find PostgreSQL's
# server binaries, installing the Debian package when they are missing, and prepare to run
# them as the postgres system user when we are root (initdb refuses to run as root).
# Sets BINDIR and the RUN array.

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
