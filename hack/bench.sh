#!/usr/bin/env bash
# The scale benchmark (docs/benchmarks.md; usage below).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: hack/bench.sh [MAVEN-ARGUMENTS...]

The scale benchmark (docs/benchmarks.md): the operator as shipped (the packaged jar in a JVM of its
own, configured as the Helm chart configures it) against a real local control plane, with 0, 5,000
and 20,000 image versions: cold start, restart, memory, and the steady state of new versions.
Builds the control plane once (hack/provision.sh), packages the jar, then runs the harness in
src/bench/java; prints the report and writes it to target/benchmarks/scale.md.
Arguments go to Maven, e.g. -Dbench.sizes=1000 or -o. -h, --help prints this text.
USAGE
}
case "${1:-}" in -h|--help) usage; exit 0 ;; esac
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash hack/provision.sh >/dev/null
mvn -B -Pbench -DskipTests package exec:exec@scale "$@"
