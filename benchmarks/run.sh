#!/usr/bin/env bash
# The end-to-end benchmark: ocitree import vs ostree, the ostree-ext way, umoci + ostree and the
# decompression floor, on the same deterministic images, in one run. See docs/benchmarks.md.
#
#   benchmarks/run.sh [--quick] [--size=1G] [--reps=3] [--from-dir=/usr/share] [--help] ...
#
# Builds the project (tests skipped) when needed, then runs dev.ocitree.benchmarks.Main.
# Writes docs/benchmarks.json and docs/benchmarks.png; images, logs and the JFR recording stay in
# benchmarks/target/work (--work=DIR). JAVA_HOME picks the JDK; ocitree runs through ./ocitree,
# whose JVM flags OCITREE_JAVA_OPTS replaces; OCITREE_JAR measures another ocitree jar than
# pipeline/target/ocitree.jar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

"$root/scripts/install-peers.sh"
jar="$root/pipeline/target/ocitree.jar"
if [ ! -f "$jar" ] || [ ! -d "$here/target/classes" ] || [ -n "$(find "$root/pom.xml" "$root"/*/pom.xml \
    "$root/operators/src/main" "$root/pipeline/src/main" "$here/src/main" -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "benchmarks: building (mvn package, tests skipped)..." >&2
  (cd "$root" && mvn -B -q -DskipTests -pl benchmarks -am package) >&2
fi
exec "$java" -Djava.awt.headless=true -cp "$here/target/classes" dev.ocitree.benchmarks.Main --root="$root" "$@"
