#!/usr/bin/env bash
# umoci.sh REPO SCRATCH LAYOUT:TAG — `umoci unpack` of the image (whiteouts applied, as root: owners kept),
# then `ostree commit --tree=dir=` of the rootfs.
set -euo pipefail
repo="$1" scratch="$2" image="$3"
mkdir -p "$scratch"
umoci unpack --image "$image" "$scratch/bundle" >/dev/null
ostree --repo="$repo" commit -b merged --tree=dir="$scratch/bundle/rootfs" --no-bindings >/dev/null
