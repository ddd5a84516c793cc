#!/bin/bash
# Runs PoolCycleBenchmark at 1, 4, 16 and 64 threads and prints the BENCHMARKS.md tables.
# Usage: sluice-bench/scripts/run-pool-bench.sh [output-dir]   (build first: ./mvnw -B -pl sluice-pool,sluice-bench package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-sluice-bench/target/pool-bench}"
mkdir -p "$out"
for t in 1 4 16 64; do
  java -jar sluice-bench/target/benchmarks.jar PoolCycleBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s -t "$t" -prof gc \
    -rf json -rff "$out/t$t.json" | tee "$out/t$t.log"
done
python3 sluice-bench/scripts/pool-table.py "$out"
