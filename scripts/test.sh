#!/usr/bin/env bash
# The test command: installs the peer tools when missing, then runs every module's tests.
# Extra arguments go to Maven (e.g. scripts/test.sh -pl operators).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/install-peers.sh"
cd "$here"
exec mvn -B verify "$@"
