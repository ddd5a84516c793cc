package dev.sluice.bench.proxy;

import java.util.Locale;

/**
 * The figures of one client count of a {@link CrowdBenchmark}: connections opened and the time it took, operations
 * and latencies in the measured window (microseconds; max is the longest operation inside the window, worst also
 * counts operations started in the window that ended after it or never did), how the operations were spread over
 * the clients (all of them, and apart those opened in even and odd order: Sluice's server socket hands accepted
 * connections to its event loops round-robin, so with two loops each half lands on one loop, and so on one lane of
 * its pool), errors, and the wait-queue timeouts Sluice counted during the cell.
 */
record CrowdCell(int clients, int ready, double setupSeconds, long ops, double opsPerSec, double p50us, double p99us,
                 double p999us, double maxUs, double worstUs, OpsSpread spread, OpsSpread even, OpsSpread odd,
                 long errors, String firstError, boolean allStopped, long waitQueueTimeouts, double sluiceCores,
                 double generatorCores) {

    CrowdCell withWaitQueueTimeouts(long timeouts) {
        return new CrowdCell(clients, ready, setupSeconds, ops, opsPerSec, p50us, p99us, p999us, maxUs, worstUs, spread,
                even, odd, errors, firstError, allStopped, timeouts, sluiceCores, generatorCores);
    }

    /** The CPU (in cores: CPU seconds per second of window) of Sluice's process and of the generator's. */
    CrowdCell withCpu(double sluice, double generator) {
        return new CrowdCell(clients, ready, setupSeconds, ops, opsPerSec, p50us, p99us, p999us, maxUs, worstUs, spread,
                even, odd, errors, firstError, allStopped, waitQueueTimeouts, sluice, generator);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%5d clients (%d without error, set up in %.1f s): %8.0f ops/s  p50 %8.0f us  p99 %8.0f us  "
                        + "p99.9 %8.0f us  max %8.0f us  worst %8.0f us  ops/client min %d p50 %d max %d  Jain %.4f  "
                        + "zero %d  cpu sluice %.2f generator %.2f%s", clients, ready, setupSeconds, opsPerSec, p50us, p99us, p999us, maxUs, worstUs,
                spread.min(), spread.p50(), spread.max(), spread.jain(), spread.zero(),
                sluiceCores, generatorCores, errors == 0 ? "" : "  errors " + errors + " (" + firstError + ")");
    }
}
