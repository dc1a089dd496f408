#!/usr/bin/env bash
# System packages the tests need beyond Java, Maven and Go: nginx (a real WebDAV store for the
# replication tests). Installs them with apt when run as root; otherwise says what to install.
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[install-deps] installing ${missing[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # The tests start their own nginx on loopback; the packaged service is not needed.
  systemctl disable --now nginx >/dev/null 2>&1 || service nginx stop >/dev/null 2>&1 || true
else
  echo "[install-deps] missing: ${missing[*]}; install them (e.g. sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi
