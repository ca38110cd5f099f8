#!/usr/bin/env bash
# ocitree.sh REPO OCI_REF — one ocitree import (the measured command), through the project's
# ./ocitree launcher, so with the JVM flags users get. REPO exists already (ostree init --mode=...).
# OCITREE_JAR: the CLI jar (required here: no build while measuring); OCITREE_JAVA: the java
# launcher; OCITREE_JAVA_OPTS: replaces the launcher's JVM flags when set.
set -euo pipefail
repo="$1" ref="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${OCITREE_JAR:?set OCITREE_JAR to pipeline/target/ocitree.jar}"
export OCITREE_JAR
exec "$here/../../ocitree" --repo="$repo" import "$ref"
