#!/usr/bin/env bash
# floor.sh PARALLELISM gzip|zstd BLOB... — the hardware floor: decompression alone of every layer to
# /dev/null, PARALLELISM layers at once (the same layer concurrency as ocitree's import).
set -euo pipefail
parallelism="$1" compression="$2"; shift 2
case "$compression" in
  gzip) decompress=(pigz -dc) ;;
  zstd) decompress=(zstd -dcq) ;;
  *) echo "floor.sh: unknown compression $compression" >&2; exit 2 ;;
esac
printf '%s\0' "$@" | xargs -0 -n1 -P "$parallelism" "${decompress[@]}" >/dev/null
