#!/usr/bin/env bash
# Installs the reference tools that ocitree's tests run against (Debian packages).
# As root it uses apt-get; otherwise it names what is missing and how to install it.
set -euo pipefail
packages=(ostree flatpak skopeo umoci docker-registry tar gzip zstd lz4 pigz libarchive-tools python3 file time apache2-utils openssl curl)
commands=(ostree flatpak skopeo umoci docker-registry tar gzip zstd lz4 pigz bsdtar python3 file /usr/bin/time htpasswd openssl curl)

missing=()
for i in "${!commands[@]}"; do
  command -v "${commands[$i]}" >/dev/null 2>&1 || [ -x "/usr/bin/${commands[$i]}" ] || missing+=("${packages[$i]}")
done
# GLib's own GVariant code (via PyGObject) is the reference for the GVariant codec tests
/usr/bin/python3 -c 'import gi; gi.require_version("GLib", "2.0")' >/dev/null 2>&1 || missing+=(python3-gi gir1.2-glib-2.0)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages, which are not installed: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing test peers: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
