#!/usr/bin/env bash
# Regenerates the CRDs from the Java model (usage below).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: hack/update-crds.sh

Regenerates the CRDs from the Java model (src/main/java/dev/imagegallery/api) and copies them to
deploy/crds/ and the Helm chart's crds/. CrdDriftTest fails the build until this has been run.
-h, --help prints this text.
EOF
}
case "${1:-}" in
  "") ;;
  -h|--help) usage; exit 0 ;;
  *) echo "unknown argument: $1 (see hack/update-crds.sh --help)" >&2; exit 2 ;;
esac
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q process-classes
for dir in deploy/crds deploy/helm/image-gallery-operator/crds; do
  mkdir -p "$dir"
  rm -f "$dir"/*.yml
  cp target/generated-crds/*.yml "$dir"/
done
echo "CRDs updated in deploy/crds and deploy/helm/image-gallery-operator/crds"
