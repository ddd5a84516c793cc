#!/usr/bin/env bash
# Where Sluice's CPU goes under N raw clients: FastMongod on 127.0.0.1:27417, Sluice on 27418 (JIT symbols through
# -XX:+DumpPerfMapAtExit), 25 s of warm-up at 16 clients, then `perf record` of the Sluice process for 10 s while N
# clients run. Prints the split by object (kernel, JIT code, libc) and the hottest JIT-compiled methods.
# Needs perf (linux-perf) and the jars: ./mvnw -B -q -DskipTests install
# Usage: sluice-bench/scripts/perf-profile.sh CLIENTS
. "$(dirname "$0")/fastmongod.sh" target/perf-profile
java -XX:+UseSerialGC -Xss512k -Xmn32m -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer \
  -jar sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar serve --listen 127.0.0.1:27418 --http 127.0.0.1:27419 \
  --upstream 'mongodb://127.0.0.1:27417/?maxPoolSize=100' > $out/proxy.log 2>&1 &
SP=$!
trap 'kill $FM $SP 2>/dev/null || true' EXIT # only the processes this script started
sleep 6
java -Xss512k -cp $J dev.sluice.bench.proxy.LoadGenerator --target mongodb://127.0.0.1:27418/ --kind raw --clients 16 \
  --warmup-ms 1000 --duration-ms 25000 > /dev/null 2>&1
java -Xss512k -cp $J dev.sluice.bench.proxy.LoadGenerator --target mongodb://127.0.0.1:27418/ --kind raw \
  --clients "$1" --warmup-ms 500 --duration-ms 15000 > $out/lg.out 2>&1 &
LG=$!
sleep 3
perf record -F 1999 -g -p $SP -o $out/perf.data -- sleep 10 2> $out/perf.err
wait $LG
kill $SP; wait $SP || true # the perf map is written as the JVM exits
tail -1 $out/lg.out
perf report -i $out/perf.data --no-children --sort dso -g none -q 2>/dev/null | head -6
perf report -i $out/perf.data --no-children --sort dso,sym -g none -q 2>/dev/null | grep -F '[JIT]' | head -25
