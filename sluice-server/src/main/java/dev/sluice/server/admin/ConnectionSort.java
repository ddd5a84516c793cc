package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * The fields {@code GET /api/connections} can sort on (the row's field names). Each reads one sort key
 * per entry, once per listing: strings compare case-insensitively with missing values first, numbers
 * numerically, ids by their number.
 */
public enum ConnectionSort {
    CONNECTION_ID("connectionId", ConnectionEntry::sequence),
    CONNECT_TIME("connectTime", ConnectionEntry::sequence), // ids are given in order of connection
    CONNECTOR("connector", ConnectionEntry::connector),
    USERNAME("username", ConnectionEntry::username),
    USER_AGENT("userAgent", ConnectionEntry::userAgent),
    APP_NAME("appName", ConnectionEntry::appName),
    DRIVER("driver", ConnectionEntry::driver),
    CLIENT_ADDRESS("clientAddress", ConnectionEntry::clientAddress),
    SERVER_ADDRESS("serverAddress", ConnectionEntry::serverAddress),
    STATUS("status", e -> e.status().label()),
    CURRENT_OP("currentOp", ConnectionEntry::currentOp),
    OP_COUNT("opCount", ConnectionEntry::opCount),
    BYTES_IN("bytesIn", ConnectionEntry::bytesIn),
    BYTES_OUT("bytesOut", ConnectionEntry::bytesOut),
    PINNED_HOST("pinnedHost", ConnectionEntry::pinnedHost);

    private final String field;
    private final Function<ConnectionEntry, Object> key;

    ConnectionSort(String field, Function<ConnectionEntry, Object> key) {
        this.field = field;
        this.key = key;
    }

    public String field() {
        return field;
    }

    /** The sort key of one entry: a Long, a lower-case String, or null. */
    Comparable<?> key(ConnectionEntry entry) {
        Object value = key.apply(entry);
        return value instanceof String s ? s.toLowerCase(Locale.ROOT) : (Comparable<?>) value;
    }

    /** The sort named {@code field}, or null. */
    public static ConnectionSort of(String field) {
        for (ConnectionSort s : values()) {
            if (s.field.equals(field)) {
                return s;
            }
        }
        return null;
    }

    /** The field names, for an error message. */
    public static String fields() {
        return String.join(", ", Arrays.stream(values()).map(ConnectionSort::field).toList());
    }
}
