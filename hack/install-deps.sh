#!/usr/bin/env bash
# System packages the tests need beyond Java, Maven and Go (usage below).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: hack/install-deps.sh

Installs the system packages the tests need beyond Java, Maven and Go: nginx, a real WebDAV store for
the replication tests. Does nothing when they are present. Run as root where apt-get exists, it runs
apt-get update and apt-get install, then stops and disables the packaged nginx service: the tests
start their own nginx on loopback, and the packaged one would only keep a web server listening on
port 80. Otherwise it names the packages to install and exits 1. It says what it does on stderr
before doing it. -h, --help prints this text.
EOF
}
case "${1:-}" in
  "") ;;
  -h|--help) usage; exit 0 ;;
  *) echo "unknown argument: $1 (see hack/install-deps.sh --help)" >&2; exit 2 ;;
esac

log() { echo "[install-deps] $*" >&2; }

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "installing ${missing[*]} as root: apt-get update, then apt-get install -y ${missing[*]}"
  log "then stopping and disabling the packaged nginx service (systemctl disable --now nginx, or service nginx stop):" \
    "the tests start their own nginx on loopback, and the packaged one would only keep a web server listening on port 80"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  if systemctl disable --now nginx >/dev/null 2>&1 || service nginx stop >/dev/null 2>&1; then
    log "installed ${missing[*]}; the packaged nginx service is stopped"
  else
    log "installed ${missing[*]}; found no nginx service to stop"
  fi
else
  log "missing: ${missing[*]}; install them (e.g. sudo apt-get install -y ${missing[*]})"
  exit 1
fi
