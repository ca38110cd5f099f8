#!/usr/bin/env bash
# ocitree.sh REPO OCI_REF — one ocitree import (the measured command).
# REPO exists already (ostree init --mode=...). OCITREE_JAR: the CLI jar; OCITREE_JAVA: the java
# launcher (default: java on PATH); OCITREE_JAVA_OPTS: JVM flags.
set -euo pipefail
repo="$1" ref="$2"
exec "${OCITREE_JAVA:-java}" ${OCITREE_JAVA_OPTS:-} -jar "${OCITREE_JAR:?set OCITREE_JAR to pipeline/target/ocitree.jar}" \
  --repo="$repo" import "$ref"
