#!/usr/bin/env bash
# Pull benchmark: `ocitree pull` from a loopback docker-registry against `skopeo copy` to an OCI
# layout followed by `ocitree import oci:` (the download-then-import way of flatpak and of
# skopeo-based pipelines), on the same image, alternating, REPS times. See docs/registry.md.
#
#   benchmarks/registry.sh [--reps=3] [--dirs="/usr/share/doc /usr/lib/python3"] [--mode=bare-user-only]
#
# Each directory becomes one gzip layer (tar --sort=name, pigz -n -6). The registry (Debian's
# docker-registry) listens on a free loopback port with its storage under the work directory
# (benchmarks/target/registry-work), and is stopped at the end. Prints wall time and max RSS
# (GNU time) of every run and the medians.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
reps=3
dirs="/usr/share/doc /usr/lib/python3"
mode=bare-user-only
for arg in "$@"; do
  case "$arg" in
    --reps=*) reps="${arg#*=}" ;;
    --dirs=*) dirs="${arg#*=}" ;;
    --mode=*) mode="${arg#*=}" ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "registry.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
for tool in docker-registry skopeo pigz python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "registry.sh: $tool is missing (scripts/install-peers.sh)" >&2; exit 1; }
done
work="$here/target/registry-work"
rm -rf "$work"; mkdir -p "$work/layout/blobs/sha256" "$work/data"

echo "building the image from: $dirs" >&2
layers=()
for d in $dirs; do
  tar -C / --format=pax --sort=name --mtime=@1700000000 --owner=0 --group=0 --numeric-owner \
      -cf "$work/layer.tar" "${d#/}"
  diff_id="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  pigz -n -6 -c "$work/layer.tar" >"$work/layer.tar.gz"
  digest="$(sha256sum "$work/layer.tar.gz" | cut -d' ' -f1)"
  mv "$work/layer.tar.gz" "$work/layout/blobs/sha256/$digest"
  layers+=("$digest:$diff_id:$(stat -c %s "$work/layout/blobs/sha256/$digest")")
  rm "$work/layer.tar"
done
python3 - "$work/layout" "${layers[@]}" <<'PY'
import hashlib, json, os, sys
out, layers = sys.argv[1], [l.split(":") for l in sys.argv[2:]]
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    open(os.path.join(out, "blobs/sha256", d), "wb").write(data)
    return {"digest": "sha256:" + d, "size": len(data)}
config = json.dumps({"architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + l[1] for l in layers]}}, separators=(",", ":")).encode()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **blob(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + l[0], "size": int(l[2])}
               for l in layers]}, separators=(",", ":")).encode()
index = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
    **blob(manifest), "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}
open(os.path.join(out, "index.json"), "w").write(json.dumps(index))
open(os.path.join(out, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
PY

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat >"$work/config.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/data
http:
  addr: 127.0.0.1:$port
YML
env $(env | awk -F= '/^REGISTRY_/{print "-u " $1}') docker-registry serve "$work/config.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
trap 'kill "$registry_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/v2/" && break
  sleep 0.1
done
image="127.0.0.1:$port/bench/image:latest"
skopeo --insecure-policy copy --quiet --preserve-digests --dest-tls-verify=false "oci:$work/layout:latest" "docker://$image"
size="$(du -sb "$work/layout" | cut -f1)"
echo "image: ${#layers[@]} gzip layers, $((size / 1048576)) MiB compressed, pushed to $image" >&2

"$root/ocitree" --version >/dev/null  # builds the jar once, outside the measurements
measure() { # name command... -> "seconds maxrss_kib"
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/$name.log" 2>&1 || { cat "$work/$name.log" >&2; exit 1; }
  cat "$work/time"
}
results=()
for rep in $(seq 1 "$reps"); do
  for way in pull copy-import; do
    repo="$work/repo-$way-$rep"
    "$root/ocitree" --repo="$repo" init --mode="$mode" >/dev/null
    sync
    if [ "$way" = pull ]; then
      t="$(measure "$way" "$root/ocitree" --repo="$repo" pull "docker://$image")"
    else
      rm -rf "$work/copy"
      t="$(measure "$way" sh -c "skopeo --insecure-policy copy --quiet --src-tls-verify=false \
          docker://$image oci:$work/copy:latest && $root/ocitree --repo=$repo import oci:$work/copy:latest")"
    fi
    echo "rep $rep $way: ${t% *} s, max RSS ${t#* } KiB"
    results+=("$way ${t% *}")
    rm -rf "$repo"
  done
done
printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics
runs = {}
for line in sys.stdin:
    way, secs = line.split()
    runs.setdefault(way, []).append(float(secs))
m = {w: statistics.median(v) for w, v in runs.items()}
for w, v in m.items():
    print(f"median {w}: {v:.2f} s")
print("copy-import / pull: %.2fx" % (m["copy-import"] / m["pull"]))'
