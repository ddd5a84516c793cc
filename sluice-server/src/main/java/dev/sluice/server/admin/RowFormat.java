package dev.sluice.server.admin;

import dev.sluice.server.registry.Addresses;

import java.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The text of a listing's rows that many rows share: the second a connection was made in (connections come in
 * bursts) and the listener it came to. Each remembers its last value, so a listing of 20,000 connections formats a
 * date once per second of connection rather than once per row. The text is the same as
 * {@link ConnectionView#CONNECT_TIME} and {@link Addresses#format}. Not thread-safe: one per listing.
 */
final class RowFormat {
    private static final DateTimeFormatter TO_THE_SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private long second = Long.MIN_VALUE;
    private String secondText;
    private Object address;
    private String addressText;

    /** ISO-8601, UTC, millisecond precision, as {@link ConnectionView#CONNECT_TIME}. */
    String connectTime(long epochMillis) {
        long s = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        if (s != second || secondText == null) {
            secondText = TO_THE_SECOND.format(Instant.ofEpochSecond(s));
            second = s;
        }
        StringBuilder b = new StringBuilder(secondText.length() + 5).append(secondText).append('.');
        if (millis < 100) {
            b.append('0');
        }
        if (millis < 10) {
            b.append('0');
        }
        return b.append(millis).append('Z').toString();
    }

    /**
     * An address as {@link dev.sluice.server.registry.ConnectionEntry#serverAddress()} formats it (a
     * {@link SocketAddress} with {@link Addresses#format}, else the text it is), remembering the last one: a
     * listing's rows share a few listeners.
     */
    String address(Object a) {
        if (!(a instanceof SocketAddress socket)) {
            return (String) a;
        }
        if (!socket.equals(address)) {
            addressText = Addresses.format(socket);
            address = socket;
        }
        return addressText;
    }
}
