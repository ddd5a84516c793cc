package dev.sluice.server.wire;

import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;

/**
 * Strings read from the wire that repeat from request to request (command names, database names), returned from a
 * small per-thread table instead of built anew: a request reads its command name and {@code $db} without
 * allocating once they were seen on that thread. The table is bounded ({@value #SLOTS} slots of names up to
 * {@value #MAX_LENGTH} ASCII bytes per thread; a slot is overwritten on collision); other names are decoded as usual.
 */
public final class AsciiStrings {
    static final int SLOTS = 64;
    static final int MAX_LENGTH = 64;
    private static final FastThreadLocal<String[]> TABLE = new FastThreadLocal<>() {
        @Override
        protected String[] initialValue() {
            return new String[SLOTS];
        }
    };

    private AsciiStrings() {
    }

    /** The {@code length} bytes at {@code at} as a String (UTF-8), the same instance as before when cached. */
    public static String of(byte[] bytes, int at, int length) {
        if (length > MAX_LENGTH) {
            return new String(bytes, at, length, StandardCharsets.UTF_8);
        }
        int hash = 0;
        for (int i = 0; i < length; i++) {
            byte b = bytes[at + i];
            if (b < 0) {
                return new String(bytes, at, length, StandardCharsets.UTF_8);
            }
            hash = 31 * hash + b;
        }
        String[] table = TABLE.get();
        int slot = (hash ^ hash >>> 7) & (SLOTS - 1);
        String cached = table[slot];
        if (cached != null && same(cached, bytes, at, length)) {
            return cached;
        }
        String s = new String(bytes, at, length, StandardCharsets.US_ASCII);
        table[slot] = s;
        return s;
    }

    private static boolean same(String s, byte[] bytes, int at, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != bytes[at + i]) {
                return false;
            }
        }
        return true;
    }
}
