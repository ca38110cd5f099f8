#!/usr/bin/env bash
# unpack.sh SCRATCH PARALLELISM gzip|zstd BLOB... — the file-system floor: decompression of every
# layer piped into GNU tar -x, each layer into its own directory under SCRATCH, PARALLELISM layers
# at once. It writes the same files an import writes (no hashing, no merge, no repository), so it
# shows what creating the files alone costs on this machine's file system.
set -euo pipefail
scratch="$1" parallelism="$2" compression="$3"; shift 3
case "$compression" in
  gzip) decompress="pigz -dc" ;;
  zstd) decompress="zstd -dcq" ;;
  *) echo "unpack.sh: unknown compression $compression" >&2; exit 2 ;;
esac
mkdir -p "$scratch"
i=0
for blob in "$@"; do
  i=$((i + 1))
  printf '%s\0%s\0' "$scratch/layer-$i" "$blob"
done | xargs -0 -n2 -P "$parallelism" sh -c 'mkdir -p "$1" && '"$decompress"' < "$2" | tar -x -C "$1"' unpack
