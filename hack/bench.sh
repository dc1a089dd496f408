#!/usr/bin/env bash
# The convergence benchmark (docs/benchmarks.md): the operator against a real local control plane
# at 1,000 and 5,000 image versions. Builds the control plane once (hack/provision.sh), then runs
# the harness in src/bench/java; the table is printed and written to target/benchmarks/convergence.md.
# Extra arguments go to Maven, e.g. -Dbench.sizes=1000 or -o.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash hack/provision.sh >/dev/null
mvn -B -Pbench test-compile exec:exec@convergence "$@"
