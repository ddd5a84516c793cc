#!/usr/bin/env bash
# Builds Sluice and the benchmarks, then runs the proxy benchmarks by hand (never part of ./mvnw verify).
#
#   sluice-bench/scripts/run-proxy-bench.sh [quick|full|throughput|storm|storm-max]
#
#   quick       throughput matrix with short cells (1 s warm-up, 3 s measured): a smoke run, ~2 min
#   throughput  the matrix: raw clients at 1,16,64,256 and driver clients at 1,16; 3 s + 10 s per cell, ~5 min
#   storm       10,000 clients: hello + find, then idle; heap/direct/kernel memory per connection
#   storm-max   the largest storm the file-descriptor limit allows (ulimit -Hn minus headroom)
#   full        throughput + storm + storm-max (default)
#
# HAProxy (the system's haproxy, e.g. Debian's package) joins the throughput matrix as a fourth target when
# it is installed; --targets direct,relay,sluice leaves it out.
#
# Extra options go to the Java mains through BENCH_OPTS / STORM_OPTS, e.g.
#   BENCH_OPTS="--clients 1,16 --kinds raw,nio --duration-ms 5000" run-proxy-bench.sh throughput
# Reports are written under target/proxy-bench/ (Markdown), child JVM logs under target/bench-logs/.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:-full}"
out=target/proxy-bench
mkdir -p "$out"

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -B -q -DskipTests install
fi
jar=sluice-bench/target/benchmarks.jar
sluice_jar=sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar

# Each client connection costs a file descriptor in the load generator and one in Sluice.
ulimit -n "$(ulimit -Hn)" || true
echo "nproc $(nproc); $(java -version 2>&1 | head -1); kernel $(uname -r); ulimit -n $(ulimit -n); load $(cut -d' ' -f1-3 /proc/loadavg)"

throughput() {
  # shellcheck disable=SC2086
  java -Xss512k -cp "$jar" dev.sluice.bench.proxy.ProxyBenchmark --sluice-jar "$sluice_jar" \
    --out "$out/throughput.md" "$@" ${BENCH_OPTS:-}
}

storm() {
  local n="$1"
  # shellcheck disable=SC2086
  java -Xss512k -cp "$jar" dev.sluice.bench.proxy.ConnectionStorm --sluice-jar "$sluice_jar" \
    --clients "$n" --source-ips $(( n / 25000 + 1 )) --out "$out/storm-$n.md" ${STORM_OPTS:-}
}

storm_max() {
  # Sluice and the generator each hold one descriptor per client; keep 300 for jars, epoll, pools.
  local hard; hard=$(ulimit -Hn)
  local n=$(( hard - 300 ))
  if (( n > 100000 )); then n=100000; fi
  echo "storm-max: ulimit -Hn is $hard, so $n clients (one source address suffices below ~28,000)"
  storm "$n"
}

case "$mode" in
  quick) throughput --warmup-ms 1000 --duration-ms 3000 --pause-ms 300 ;;
  throughput) throughput ;;
  storm) storm 10000 ;;
  storm-max) storm_max ;;
  full) throughput; storm 10000; storm_max ;;
  *) echo "unknown mode: $mode (quick|full|throughput|storm|storm-max)" >&2; exit 2 ;;
esac
