#!/usr/bin/env bash
# Check the deployment examples in deploy/ for syntax: the nginx site with `nginx -t` (Debian's
# nginx is installed when missing, never started) and the systemd unit with
# `systemd-analyze verify`. Certificates and paths are swapped for throwaway ones.
# Usage: scripts/check-deploy.sh [--no-install]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  if [ "${1:-}" = "--no-install" ]; then echo "nginx missing" >&2; exit 3; fi
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Never start the service the package installs.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq nginx-core >/dev/null || $SUDO apt-get install -y -qq nginx >/dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=pm.bootcamp.example" \
  -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" 2>/dev/null
# Every nginx example: the site at its own host name (nginx.conf) and under a path
# (nginx-subpath.conf), each checked alone.
for site in "${DEPLOY_DIR:-deploy}"/nginx*.conf; do
  sed "s#/etc/letsencrypt/live/[^/]*/#$tmp/#g" "$site" > "$tmp/site.conf"
  cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    include $tmp/site.conf;
}
CONF
  "$NGINX" -t -q -p "$tmp" -c "$tmp/nginx.conf"
  echo "deploy/$(basename "$site"): syntax ok (nginx $("$NGINX" -v 2>&1 | sed 's#.*/##'))"
done

if command -v systemd-analyze >/dev/null; then
  printf '#!/bin/sh\nexit 0\n' > "$tmp/healthpm" && chmod +x "$tmp/healthpm"
  sed -e "s#/srv/healthpm/app/.venv/bin/healthpm#$tmp/healthpm#g" \
      -e "s#^EnvironmentFile=.*#EnvironmentFile=-$tmp/none.env#" \
      "${DEPLOY_DIR:-deploy}/healthpm.service" > "$tmp/healthpm.service"
  out=$(systemd-analyze verify "$tmp/healthpm.service" 2>&1 || true)
  # Outside a booted systemd, verify also reports the host's own units; keep ours only.
  ours=$(printf '%s\n' "$out" | grep 'healthpm.service' | grep -v 'Failed to .*bus\|Unit .* not found' || true)
  if [ -n "$ours" ]; then printf '%s\n' "$ours" >&2; exit 1; fi
  echo "deploy/healthpm.service: systemd-analyze verify ok"
else
  echo "systemd-analyze missing: the unit was not checked" >&2
  exit 3
fi
