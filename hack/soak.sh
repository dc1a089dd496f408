#!/usr/bin/env bash
# The soak benchmark (docs/resilience.md; usage below).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: hack/soak.sh [MAVEN-ARGUMENTS...]

The soak benchmark (docs/resilience.md): two packaged operators with leader election against the
real local control plane, restarted when they exit as pods are, while versions are created,
promoted and deleted and faults come every 10 to 30 s: an operator killed or paused past its
Lease, kube-apiserver or etcd down for 15 to 45 s, the WebDAV store stopped. Then it checks that
every version is Ready, every replica holds the source's bytes, no store holds an unreferenced or
staged object, and counts the operator's writes per minute. Not part of ./test.
Prints the report and writes it to target/benchmarks/soak.md.
Arguments go to Maven: -Dsoak.minutes=30 (how long the faults go on), -Dsoak.seed=1, -o.
-h, --help prints this text.
USAGE
}
case "${1:-}" in -h|--help) usage; exit 0 ;; esac
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash hack/install-deps.sh
bash hack/provision.sh >/dev/null
mvn -B -Pbench -DskipTests package exec:exec@soak "$@"
