#!/usr/bin/env bash
# Profiles Sluice under a crowd of N clients: runs CrowdBenchmark for one client count (20 s window) with Sluice's
# JIT symbols exported (/tmp/perf-PID.map), and records `perf record -g` on Sluice's process for 10 s, starting
# DELAY seconds after Sluice is up (pre-warm 5 s + set-up + 5 s warm-up: 13 s for 256 clients, 14 s for 10,000).
# Needs perf, and jars built with: ./mvnw -B -q -DskipTests install
# Usage: sluice-bench/scripts/profile-crowd.sh CLIENTS [DELAY_S] [OUT_DIR]
#   then: perf report -i OUT_DIR/crowd-CLIENTS.perf --no-children --sort sym
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=${1:?usage: profile-crowd.sh CLIENTS [DELAY_S] [OUT_DIR]}
delay=${2:-14}
out=${3:-target/crowd-profile}
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)"
log="$out/crowd-$clients.log"
java -Xss512k -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.proxy.CrowdBenchmark --clients "$clients" \
  --warmup-ms 5000 --duration-ms 20000 \
  --sluice-jvm-opts '-XX:+UseSerialGC -Xss512k -Xmn32m -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer' \
  --out "$out/crowd-$clients.md" > "$log" 2>&1 &
bench=$!
pid=""
for _ in $(seq 1 120); do
  pid=$(grep -o 'pid [0-9]*' "$log" | head -1 | cut -d' ' -f2 || true)
  [ -n "$pid" ] && break
  sleep 0.5
done
if [ -z "$pid" ]; then
  echo "Sluice did not start; see $log" >&2
  kill "$bench" 2>/dev/null || true
  exit 1
fi
echo "Sluice pid $pid; recording from ${delay}s for 10s"
sleep "$delay"
perf record -F 1000 -g -p "$pid" -o "$out/crowd-$clients.perf" -- sleep 10 > /dev/null 2>&1
jcmd "$pid" Compiler.perfmap > /dev/null 2>&1 || true # the JIT symbols now, in case the exit dump is missed
wait "$bench"
grep "round" "$log" | head -1
echo "profile: $out/crowd-$clients.perf (symbols: /tmp/perf-$pid.map)"
