package dev.sluice.server.config;

/**
 * {@code net.transport} / {@code --transport}: the network transport of every socket Sluice opens or accepts (the
 * mongodb, load-balanced and http(s) connectors, the backend connections, DNS). {@code auto} (the default) is
 * io_uring where the kernel and the process may use it (Linux 5.14 or later, not refused by a seccomp profile),
 * else epoll on Linux, else the JDK's NIO; {@code io_uring} and {@code epoll} require theirs (Sluice refuses to start
 * without it); {@code nio} always uses NIO.
 */
public enum NetTransport {
    AUTO("auto"),
    IO_URING("io_uring"),
    EPOLL("epoll"),
    NIO("nio");

    private final String configName;

    NetTransport(String configName) {
        this.configName = configName;
    }

    /** The name in the YAML and on the command line. */
    public String configName() {
        return configName;
    }

    /** Parses {@code auto}, {@code io_uring}, {@code epoll} or {@code nio} (case-insensitive); the error names {@code option}. */
    public static NetTransport parse(String value, String option) {
        for (NetTransport t : values()) {
            if (t.configName.equalsIgnoreCase(value == null ? "" : value.trim())) {
                return t;
            }
        }
        throw new ConfigException(option + ": '" + value + "' (expected one of auto, io_uring, epoll, nio)");
    }

    @Override
    public String toString() {
        return configName;
    }
}
