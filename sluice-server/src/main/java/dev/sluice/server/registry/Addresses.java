package dev.sluice.server.registry;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Socket addresses as operators read them: {@code host:port}, {@code [v6]:port}. */
public final class Addresses {
    private Addresses() {
    }

    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
