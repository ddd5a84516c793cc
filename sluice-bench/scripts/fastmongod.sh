# Sourced by the profiling scripts: the jar, an output folder, and FastMongod started on 127.0.0.1:27417 ($FM is its
# PID; the caller's EXIT trap kills it). Needs the jars: ./mvnw -B -q -DskipTests install
# Usage: . "$(dirname "$0")/fastmongod.sh" target/<name>
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1
mkdir -p "$out"
J=sluice-bench/target/benchmarks.jar
java -cp $J dev.sluice.server.testing.FastMongod --port 27417 > $out/fm.log 2>&1 &
FM=$!
