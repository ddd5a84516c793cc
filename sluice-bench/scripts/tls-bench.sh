#!/bin/bash
# TLS provider benchmark: JDK SSLEngine vs BoringSSL (netty-tcnative), handshakes and AES-GCM bulk records.
# Usage: sluice-bench/scripts/tls-bench.sh [output-dir]   (build first: ./mvnw -B -q -pl sluice-bench -am package -DskipTests)
# See BENCHMARKS.md, "TLS provider: JDK vs BoringSSL".
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-sluice-bench/target/tls-bench}"
mkdir -p "$out"
java -version 2>&1 | tee "$out/java-version.txt"
java -jar sluice-bench/target/benchmarks.jar TlsProviderBenchmark -f 1 -wi 3 -w 2s -i 3 -r 3s \
  -rf json -rff "$out/tls.json" | tee "$out/tls.log"
# TLS through a running Sluice (loopback sockets), per net.tls.provider: new connections and ping round trips
java -jar sluice-bench/target/benchmarks.jar SluiceTlsConnectBenchmark -f 1 -wi 3 -w 3s -i 3 -r 4s \
  -rf json -rff "$out/tls-connect.json" | tee "$out/tls-connect.log"
