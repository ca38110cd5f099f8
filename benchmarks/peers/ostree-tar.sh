#!/usr/bin/env bash
# ostree-tar.sh REPO BLOB... — `ostree commit --tree=tar=` of each (compressed) layer blob, one commit per
# layer, as the layers come: libarchive decompresses, whiteout files stay ordinary files.
set -euo pipefail
repo="$1"; shift
i=0
for blob in "$@"; do
  i=$((i + 1))
  ostree --repo="$repo" commit -b "layer/$i" --tree=tar="$blob" --tar-autocreate-parents --no-bindings >/dev/null
done
