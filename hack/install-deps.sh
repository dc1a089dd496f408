#!/usr/bin/env bash
# System packages the tests need beyond Java, Maven and Go (usage below).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: hack/install-deps.sh

Installs the system packages the tests need beyond Java, Maven and Go (the S3 server, versitygw, is
built by hack/provision.sh instead):
  nginx            a real WebDAV store for the replication tests
  docker-registry  a real OCI registry (distribution 2.8), started by the tests with htpasswd and TLS
  skopeo           an independent client that reads back what the operator pushed to the registry
  apache2-utils    htpasswd, for the registry's bcrypt and nginx's apr1 password files
  openssl          the throwaway CA and server certificates the tests make
  curl             a consumer's client for replicas' http(s) addresses
  awscli           aws, a second S3 client (other than the operator's AWS SDK for Java) that reads
                   back what the operator wrote to the S3 server
Does nothing when their commands are present. Run as root where apt-get exists, it runs apt-get
update and apt-get install, then stops and disables the packaged nginx and docker-registry services:
the tests start their own on loopback, and the packaged ones would only keep a web server on port
80 and a registry on port 5000 listening. Otherwise it names the packages to install and exits 1.
It says what it does on stderr before doing it. -h, --help prints this text.
EOF
}
case "${1:-}" in
  "") ;;
  -h|--help) usage; exit 0 ;;
  *) echo "unknown argument: $1 (see hack/install-deps.sh --help)" >&2; exit 2 ;;
esac

log() { echo "[install-deps] $*" >&2; }

# Debian puts nginx in /usr/sbin, which is not on every user's PATH.
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }

missing=()
have nginx || missing+=(nginx)
have docker-registry || missing+=(docker-registry)
have skopeo || missing+=(skopeo)
have htpasswd || missing+=(apache2-utils)
have openssl || missing+=(openssl)
# A consumer's client for the replicas' http(s) addresses.
have curl || missing+=(curl)
# The second S3 client is the aws CLI rather than s3cmd: its s3api commands print JSON (keys, user
# metadata) that the tests parse without scraping, and it takes the endpoint, CA bundle and keys per
# call. Any aws already on PATH will do (pip's awscli 1.x as well as Debian's 2.x); only when there is
# none is Debian's package installed, since pip may not install into Debian's own Python (PEP 668).
have aws || missing+=(awscli)
[ ${#missing[@]} -eq 0 ] && exit 0

# The packaged services the tests would compete with, among those about to be installed.
services=()
for package in "${missing[@]}"; do
  case "$package" in nginx|docker-registry) services+=("$package") ;; esac
done

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "installing ${missing[*]} as root: apt-get update, then apt-get install -y ${missing[*]}"
  if [ ${#services[@]} -gt 0 ]; then
    log "then stopping and disabling the packaged ${services[*]} service(s) (systemctl disable --now, or service stop):" \
      "the tests start their own on loopback, and the packaged ones would only keep a web server on port 80" \
      "or a registry on port 5000 listening"
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  log "installed ${missing[*]}"
  for service in "${services[@]}"; do
    if systemctl disable --now "$service" >/dev/null 2>&1 || service "$service" stop >/dev/null 2>&1; then
      log "the packaged $service service is stopped"
    else
      log "found no $service service to stop"
    fi
  done
else
  log "missing: ${missing[*]}; install them (e.g. sudo apt-get install -y ${missing[*]})"
  exit 1
fi
