#!/usr/bin/env bash
# The export benchmark: `ocitree export` of a commit to an OCI layout (gzip) against the ostree-ext
# way of making a layer (`ostree checkout` + `tar` + `gzip`) and `flatpak build-bundle --oci`, on the
# same commit, in one run, alternating. See docs/benchmarks.md ("Export").
#
#   benchmarks/export.sh [--from-dir=/usr/share] [--reps=3] [--work=benchmarks/target/export-work]
#
# The commit: DIR committed by `ostree commit` into an archive repository as the flatpak app ref
# app/org.bench.Export/x86_64/master (with the xa.metadata key build-bundle reads). Each contender
# writes a fresh output; `sync` runs before each measurement (not timed); GNU time reports wall,
# user + system CPU and peak RSS; the medians and the ratios (peer wall / ocitree wall) are printed
# as a Markdown table. Every output's uncompressed layer digest is printed too.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
from=/usr/share reps=3 work="$here/target/export-work"
for arg in "$@"; do
  case "$arg" in
    --from-dir=*) from="${arg#*=}" ;;
    --reps=*) reps="${arg#*=}" ;;
    --work=*) work="${arg#*=}" ;;
    --help|-h) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "export.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
for tool in ostree flatpak tar gzip sha256sum /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "export.sh: $tool is missing (scripts/install-peers.sh)" >&2; exit 1; }
done
ref=app/org.bench.Export/x86_64/master
rm -rf "$work" && mkdir -p "$work"
export HOME="$work/home" FLATPAK_USER_DIR="$work/flatpak-user"
mkdir -p "$HOME"
"$root/ocitree" --version >/dev/null   # builds the jar when needed (not timed)
export OCITREE_JAR="$root/pipeline/target/ocitree.jar"

ostree --repo="$work/repo" init --mode=archive
ostree --repo="$work/repo" commit -b "$ref" --tree=dir="$from" --timestamp=2024-01-01T00:00:00Z -s bench \
  --add-metadata-string=xa.metadata=$'[Application]\nname=org.bench.Export\nruntime=org.bench.Platform/x86_64/master\n' \
  >/dev/null
files=$(ostree --repo="$work/repo" ls -R "$ref" | grep -c '^-' || true)
bytes=$(du -sb --apparent-size "$from" 2>/dev/null | cut -f1)

ocitree() { "$root/ocitree" --repo="$work/repo" export "$ref" "oci:$1"; }
encapsulate() { # the ostree-ext way: checkout, then tar + gzip of the checkout
  ostree --repo="$work/repo" checkout -U "$ref" "$1.co" && tar --format=pax -C "$1.co" -cf - . | gzip -6 > "$1.tar.gz"
}
flatpak_bundle() { flatpak build-bundle --oci "$work/repo" "$1" org.bench.Export; }

results="$work/results.tsv"
: > "$results"
contenders=(ocitree encapsulate flatpak_bundle)
for rep in $(seq 1 "$reps"); do
  for i in "${!contenders[@]}"; do
    c="${contenders[$(( (i + rep) % ${#contenders[@]} ))]}"
    out="$work/out-$c-$rep"
    rm -rf "$out" "$out.co" "$out.tar.gz"
    sync
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" bash -c "$(declare -f ocitree encapsulate flatpak_bundle); \
      root='$root' work='$work' ref='$ref' $c '$out'" > "$work/$c-$rep.log" 2>&1
    read -r wall user sys rss < "$work/time"
    echo -e "$c\t$rep\t$wall\t$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')\t$rss" >> "$results"
    rm -rf "$out.co"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "commit: $files files, $bytes bytes from $from; $reps repetitions; $(nproc) cores"
echo "| contender | wall s | CPU s | peak RSS MiB | wall / ocitree wall |"
echo "|---|---|---|---|---|"
base=$(awk -F'\t' '$1=="ocitree"{print $3}' "$results" | median)
for c in "${contenders[@]}"; do
  w=$(awk -F'\t' -v c="$c" '$1==c{print $3}' "$results" | median)
  cpu=$(awk -F'\t' -v c="$c" '$1==c{print $4}' "$results" | median)
  rss=$(awk -F'\t' -v c="$c" '$1==c{print $5}' "$results" | median)
  awk -v c="$c" -v w="$w" -v cpu="$cpu" -v rss="$rss" -v b="$base" \
    'BEGIN {printf "| %s | %s | %s | %d | %.2f |\n", c, w, cpu, rss / 1024, w / b}' 
done
# the layers' uncompressed digests (ocitree's is deterministic; the others carry their own mtimes/order)
for c in ocitree encapsulate flatpak_bundle; do
  out="$work/out-$c-1"
  case "$c" in
    encapsulate) d=$(gzip -dc "$out.tar.gz" | sha256sum | cut -d' ' -f1) ;;
    *) layer=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1]+'/index.json'))['manifests'][0]['digest'][7:]; \
print(json.load(open(sys.argv[1]+'/blobs/sha256/'+m))['layers'][0]['digest'][7:])" "$out")
       d=$(gzip -dc "$out/blobs/sha256/$layer" | sha256sum | cut -d' ' -f1) ;;
  esac
  echo "$c diff_id sha256:$d"
done
