#!/usr/bin/env bash
# ostree-ext.sh REPO SCRATCH BLOB... — the ostree-ext (bootc) way with the ostree CLI: one commit per layer
# (`ostree commit --tree=tar=`), then a union checkout of the layers in order with whiteout processing
# (`ostree checkout --union --whiteouts`, hardlinked from the repo), then a commit of the merged tree
# (`ostree commit --tree=dir= --link-checkout-speedup`, which reuses the checksums of hardlinked objects).
set -euo pipefail
repo="$1" scratch="$2"; shift 2
merged="$scratch/merged"
i=0
for blob in "$@"; do
  i=$((i + 1))
  ostree --repo="$repo" commit -b "layer/$i" --tree=tar="$blob" --tar-autocreate-parents --no-bindings >/dev/null
done
mkdir -p "$scratch"
for j in $(seq 1 "$i"); do
  ostree --repo="$repo" checkout -U --union --whiteouts "layer/$j" "$merged"
done
ostree --repo="$repo" commit -b merged --tree=dir="$merged" --link-checkout-speedup --no-bindings >/dev/null
