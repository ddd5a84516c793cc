#!/usr/bin/env bash
# Fault injection under load, longer than the ITs, against the embedded backend behind a chaos proxy
# (see RELIABILITY.md), e.g.: sluice-bench/scripts/faults.sh --fault-seconds 10 --threads 20
# Nothing is installed into ~/.m2: the classpath comes from the reactor (module target/classes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cpfile="$(mktemp)"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -pl sluice-bench -am \
  -Dmdep.outputFile="$cpfile" >&2
exec java -XX:+UseSerialGC -cp "sluice-bench/target/classes:$(cat "$cpfile")" dev.sluice.bench.faults.FaultBench "$@"
