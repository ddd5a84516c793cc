package dev.sluice.bench.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel holds for sockets: slab memory from /proc/meminfo (socket, inode, file and epoll
 * objects live there) and TCP figures from /proc/net/sockstat. System-wide, so other processes' churn
 * is noise in the differences.
 */
record KernelProbe(long slabBytes, long tcpAlloc, long tcpMemPages) {
    private static final Pattern SLAB = Pattern.compile("(?m)^Slab:\\s+(\\d+) kB");
    private static final Pattern TCP = Pattern.compile("(?m)^TCP: inuse \\d+ .*alloc (\\d+) mem (\\d+)");

    static KernelProbe read() {
        try {
            Matcher s = SLAB.matcher(Files.readString(Path.of("/proc/meminfo")));
            Matcher t = TCP.matcher(Files.readString(Path.of("/proc/net/sockstat")));
            boolean ts = t.find();
            return new KernelProbe(s.find() ? Long.parseLong(s.group(1)) * 1024 : -1,
                    ts ? Long.parseLong(t.group(1)) : -1, ts ? Long.parseLong(t.group(2)) : -1);
        } catch (IOException e) {
            return new KernelProbe(-1, -1, -1);
        }
    }
}
