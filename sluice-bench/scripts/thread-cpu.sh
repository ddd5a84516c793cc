#!/usr/bin/env bash
# CPU per find of each thread of a proxy under N raw clients, from /proc/PID/task/*/stat before and after a window.
# FastMongod on 127.0.0.1:27417, the proxy on 27418 (Sluice, or the relay with PROXY=relay); 20 s at 16 clients and
# 10 s at N clients warm it first. Needs the jars: ./mvnw -B -q -DskipTests install
# Usage: sluice-bench/scripts/thread-cpu.sh CLIENTS SECONDS     (PROXY=relay for TcpRelay)
. "$(dirname "$0")/fastmongod.sh" target/thread-cpu
trap 'kill $FM ${SP:-} 2>/dev/null || true' EXIT # only the processes this script started
sleep 2
if [ "${PROXY:-sluice}" = relay ]; then
  java -XX:+UseSerialGC -Xss512k -Xmn32m -cp $J dev.sluice.bench.proxy.TcpRelay --listen 127.0.0.1:27418 \
    --upstream 127.0.0.1:27417 > $out/proxy.log 2>&1 &
else
  java -XX:+UseSerialGC -Xss512k -Xmn32m -jar sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar serve \
    --listen 127.0.0.1:27418 --http 127.0.0.1:27419 --upstream 'mongodb://127.0.0.1:27417/?maxPoolSize=100' \
    > $out/proxy.log 2>&1 &
fi
SP=$!
sleep 6
java -Xss512k -cp $J dev.sluice.bench.proxy.LoadGenerator --target mongodb://127.0.0.1:27418/ --kind raw --clients 16 --warmup-ms 1000 --duration-ms 20000 > /dev/null 2>&1
java -Xss512k -cp $J dev.sluice.bench.proxy.LoadGenerator --target mongodb://127.0.0.1:27418/ --kind raw --clients $1 --warmup-ms 1000 --duration-ms 10000 > /dev/null 2>&1
snap() { for t in /proc/$SP/task/*; do echo "$(cat $t/comm | tr ' ' '_') $(awk '{print $14+$15}' $t/stat)"; done | awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort; }
snap > $out/t0
java -Xss512k -cp $J dev.sluice.bench.proxy.LoadGenerator --target mongodb://127.0.0.1:27418/ --kind raw --clients $1 --warmup-ms 500 --duration-ms $(( $2 * 1000 )) 2>&1 | tail -1 | tee $out/lg.out
snap > $out/t1
ops=$(awk '{for(i=1;i<=NF;i++) if ($i=="ops/s") print $(i-1)}' $out/lg.out)
join $out/t0 $out/t1 | awk -v ops=$ops -v secs=$2 '{d=($3-$2)*10; if (d>0) printf "%-28s %6d ms  %6.2f us/find\n", $1, d, d*1000/(ops*(secs+0.5))}' | sort -k2 -nr
