#!/usr/bin/env bash
# Writes what the examples' file:// URLs point at (usage below).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: hack/sample-images.sh

Writes what the file:///var/tmp/image-gallery-operator/ URLs in examples/*.yaml point at: each source
image (sources/<name>.img: 4 MiB of a repeated line naming the image, so the same bytes on every
machine, as the sha256 the examples pin demands) and each store directory (stores/...). Writes under
IGO_SAMPLE_DIR instead when set (default /var/tmp/image-gallery-operator). Idempotent. Prints the
sha256 of the source images. -h, --help prints this text.
EOF
}
case "${1:-}" in
  "") ;;
  -h|--help) usage; exit 0 ;;
  *) echo "unknown argument: $1 (see hack/sample-images.sh --help)" >&2; exit 2 ;;
esac

EXAMPLES="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/examples"
URL_ROOT=file:///var/tmp/image-gallery-operator/
dir=${IGO_SAMPLE_DIR:-/var/tmp/image-gallery-operator}

# The paths below URL_ROOT that the examples name: source urls and store endpoints.
mapfile -t paths < <(grep -ho "$URL_ROOT[^[:space:]\"',]*" "$EXAMPLES"/*.yaml | sed "s#^$URL_ROOT##" | sort -u)
[ ${#paths[@]} -gt 0 ] || { echo "no $URL_ROOT URLs in $EXAMPLES" >&2; exit 1; }
mkdir -p "$dir/sources"
for path in "${paths[@]}"; do
  case "$path" in
    sources/*.img)
      out="$dir/$path"
      [ -f "$out" ] && continue
      head -c 4194304 < <(yes "image-gallery-operator sample image $(basename "$path" .img)") > "$out.tmp"
      mv "$out.tmp" "$out"
      ;;
    stores/?*) mkdir -p "$dir/$path" ;;
    *) echo "examples/ name $URL_ROOT$path: neither a source image (sources/<name>.img) nor a store (stores/...)" >&2; exit 1 ;;
  esac
done
(cd "$dir/sources" && sha256sum ./*.img)
