#!/usr/bin/env bash
# Regenerates examples/hello-oci (the image the README's first command imports) from
# pipeline/src/test/java/dev/ocitree/testimages/HelloOciExample.java, then checks it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -pl pipeline -am test -Dtest=HelloOciExampleTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Docitree.regenerateExample=true
echo "examples/hello-oci regenerated:"
find examples/hello-oci -type f | sort
