#!/usr/bin/env python3
"""Turns PoolCycleBenchmark's JMH JSON results (t1.json, t4.json, ...) into the BENCHMARKS.md tables."""
import json
import pathlib
import sys

directory = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "sluice-bench/target/pool-bench")
pools = ["sluice", "hikari", "commonsPool2", "mongoDriver"]
score, err, alloc = {}, {}, {}
threads = []
for f in sorted(directory.glob("t*.json"), key=lambda p: int(p.stem[1:])):
    for r in json.loads(f.read_text()):
        pool = r["benchmark"].rsplit(".", 1)[1]
        key = (pool, r["threads"], int(r["params"]["poolSize"]))
        score[key] = r["primaryMetric"]["score"]
        err[key] = r["primaryMetric"]["scoreError"]
        alloc[key] = r["secondaryMetrics"]["gc.alloc.rate.norm"]["score"]
        if r["threads"] not in threads:
            threads.append(r["threads"])

def mops(v):
    return f"{v / 1e6:.2f}"

for size in (128, 8):
    print(f"\n### poolSize = {size}" + (" (uncontended: more connections than threads)" if size == 128
                                          else " (contended above 8 threads)") + "\n")
    print("| threads | Sluice Mops/s | HikariCP Mops/s | Commons Pool2 Mops/s | driver Mops/s "
          "| Sluice/HikariCP | Sluice/driver |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for t in threads:
        cells = [f"{mops(score[(p, t, size)])} ± {mops(err[(p, t, size)])}" for p in pools]
        s, h, d = score[("sluice", t, size)], score[("hikari", t, size)], score[("mongoDriver", t, size)]
        print(f"| {t} | " + " | ".join(cells) + f" | {s / h:.1f}x | {s / d:.1f}x |")
    print("\n| threads | Sluice B/op | HikariCP B/op | Commons Pool2 B/op | driver B/op |")
    print("|---:|---:|---:|---:|---:|")
    for t in threads:
        print(f"| {t} | " + " | ".join(f"{alloc[(p, t, size)]:.1f}" for p in pools) + " |")
