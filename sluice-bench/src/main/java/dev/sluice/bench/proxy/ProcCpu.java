package dev.sluice.bench.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time (user + system) a process has used, from /proc/PID/stat, in milliseconds (10 ms resolution). */
final class ProcCpu {
    private static final long MILLIS_PER_TICK = 10; // CLK_TCK is 100 on Linux x86-64

    private ProcCpu() {
    }

    /** -1 when it cannot be read (not Linux, process gone). */
    static long millis(long pid) {
        long[] us = userSystem(pid);
        return us[0] < 0 ? -1 : us[0] + us[1];
    }

    /** [user, system] milliseconds; -1s when they cannot be read. */
    static long[] userSystem(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is f[0]; utime and stime are fields 14 and 15 of the whole line
            return new long[] {Long.parseLong(f[11]) * MILLIS_PER_TICK, Long.parseLong(f[12]) * MILLIS_PER_TICK};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }
}
