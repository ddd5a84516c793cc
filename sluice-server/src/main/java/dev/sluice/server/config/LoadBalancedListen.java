package dev.sluice.server.config;

/**
 * Where the load-balanced connector listens: the {@code --load-balanced-port} flag (a port, bound on listen's host,
 * or HOST:PORT) wins over the YAML {@code net.loadBalancedListen} (HOST:PORT); neither given: no such connector.
 */
final class LoadBalancedListen {
    private LoadBalancedListen() {
    }

    /**
     * @param flag   the flag's value, or null
     * @param yaml   the file's value, or null
     * @param listen the router connector's address (the host a bare port binds on)
     * @return the address, or null
     */
    static HostAndPort of(String flag, String yaml, HostAndPort listen) {
        if (flag != null) {
            String value = flag.trim();
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                int port;
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65_535) {
                    throw new ConfigException("--load-balanced-port: " + value + " (expected a port 0..65535, or "
                            + "HOST:PORT)");
                }
                return new HostAndPort(listen.host(), port);
            }
            return HostAndPort.parse(value, "--load-balanced-port");
        }
        return yaml == null ? null : HostAndPort.parse(yaml, "net.loadBalancedListen");
    }
}
