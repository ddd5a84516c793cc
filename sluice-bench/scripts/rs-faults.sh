#!/usr/bin/env bash
# Elections and restarts of a simulated replica set (3 members) under load, through Sluice (see RELIABILITY.md,
# "Election and restart"), e.g.: sluice-bench/scripts/rs-faults.sh --scenarios election,restart --threads 8
# The simulated set comes from the test kit (sluice-testkit). Nothing is installed into ~/.m2: the classpath comes
# from the reactor (each module's target/classes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cpfile="$(mktemp)"
./mvnw -B -o -q -DskipTests test-compile dependency:build-classpath -pl sluice-bench -am \
  -Dmdep.outputFile="$cpfile" >&2
exec java -XX:+UseSerialGC -cp "sluice-bench/target/classes:$(cat "$cpfile")" \
  dev.sluice.bench.faults.ReplicaSetFaultBench "$@"
