#!/usr/bin/env bash
# Soak test of Sluice's fat jar (see RELIABILITY.md). Builds what is missing, then runs
# dev.sluice.bench.soak.Soak with the given options, e.g.: sluice-bench/scripts/soak.sh --duration 10m
# Nothing is installed into ~/.m2: the classpath comes from the reactor (module target/classes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if ! ls sluice-server/target/sluice-server-*-all.jar >/dev/null 2>&1; then
  ./mvnw -B -q -DskipTests -Dmaven.test.skip=true package -pl sluice-server -am >&2
fi
cpfile="$(mktemp)"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -pl sluice-bench -am \
  -Dmdep.outputFile="$cpfile" >&2
exec java -cp "sluice-bench/target/classes:$(cat "$cpfile")" dev.sluice.bench.soak.Soak "$@"
