#!/usr/bin/env bash
# The convergence benchmark (docs/benchmarks.md; usage below).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: hack/bench.sh [MAVEN-ARGUMENTS...]

The convergence benchmark (docs/benchmarks.md): the operator against a real local control plane at
1,000 and 5,000 image versions. Builds the control plane once (hack/provision.sh), then runs the
harness in src/bench/java; prints the table and writes it to target/benchmarks/convergence.md.
Arguments go to Maven, e.g. -Dbench.sizes=1000 or -o. -h, --help prints this text.
EOF
}
case "${1:-}" in -h|--help) usage; exit 0 ;; esac
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash hack/provision.sh >/dev/null
mvn -B -Pbench test-compile exec:exec@convergence "$@"
