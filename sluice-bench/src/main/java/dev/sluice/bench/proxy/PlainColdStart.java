package dev.sluice.bench.proxy;

import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.FastMongod;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cold start without TLS and authentication: FastMongod behind {@link DelayRelay} is the cluster; the local
 * Sluice's pool to it is warm ({@code minPoolSize=4}).
 */
final class PlainColdStart {
    private PlainColdStart() {
    }

    static ColdStartFixture start(Path jar, double rttMs, Path logs) throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            FastMongod mongod = FakeMongod.fast("127.0.0.1", 0, 1);
            started.add(mongod);
            DelayRelay cluster = DelayRelay.start(mongod.address(), (long) (rttMs * 1000));
            started.add(cluster);
            Launch.Sluice sluice = Launch.sluice(jar, "mongodb://127.0.0.1:" + cluster.address().getPort()
                            + "/?minPoolSize=4&maxPoolSize=20", ChildProcess.options(Launch.SLUICE_JVM_OPTS),
                    logs.resolve("sluice-cold-start.log"));
            started.add(sluice);
            String direct = "mongodb://127.0.0.1:" + cluster.address().getPort() + "/";
            String through = "mongodb://" + sluice.mongo().getHostString() + ":" + sluice.mongo().getPort() + "/";
            return new ColdStartFixture("plain", direct, through, null, through,
                    java.util.Map.of("Sluice", sluice.process().pid()), started);
        } catch (Exception | Error e) {
            new ColdStartFixture("plain", null, null, null, null, java.util.Map.of(), started).close();
            throw e;
        }
    }
}
