#!/usr/bin/env bash
# Writes the deterministic source images the examples point at (examples/*-versions.yaml pin
# their sha256), under ${IGO_SAMPLE_DIR:-/var/tmp/image-gallery-operator}/sources, and creates
# the example regions' file:// store directories. Idempotent.
set -euo pipefail
dir=${IGO_SAMPLE_DIR:-/var/tmp/image-gallery-operator}
mkdir -p "$dir/sources"
for image in ubuntu-22.04-1.0.0 ubuntu-22.04-1.1.0 ubuntu-22.04-1.2.0 windows-2022-2022.11.0; do
  out="$dir/sources/$image.img"
  [ -f "$out" ] && continue
  # 4 MiB of a repeated line naming the image: distinct per version, the same on every machine.
  head -c 4194304 < <(yes "image-gallery-operator sample image $image") > "$out.tmp"
  mv "$out.tmp" "$out"
done
for store in westeurope/store-1 westeurope/store-2 westeurope/store-3 northeurope/store-1 \
             eastus/store-1 eastus/store-2 australiacentral/store-1 usgovvirginia/store-1; do
  mkdir -p "$dir/stores/$store"
done
(cd "$dir/sources" && sha256sum ./*.img)
