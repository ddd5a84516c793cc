package dev.sluice.server.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3986 percent-decoding for connection strings: "%XX" sequences are decoded as UTF-8 and '+' stays a plus sign
 * (the JDK's form decoder would turn it into a space, which is wrong in a password).
 */
final class PercentDecoding {

    private PercentDecoding() {
    }

    /**
     * Decodes {@code value}.
     *
     * @param what names the part being decoded, for the error (must not contain a secret)
     * @throws ConfigException if a '%' is not followed by two hex digits
     */
    static String decode(String value, String what) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        if (!wellFormed(value)) {
            throw new ConfigException("connection string: " + what + " has a '%' that is not followed by two hex digits"
                    + " (percent-encode '%' itself as %25)");
        }
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** True when every '%' in {@code value} starts a "%XX" escape. */
    static boolean wellFormed(String value) {
        for (int i = value.indexOf('%'); i >= 0; i = value.indexOf('%', i + 1)) {
            if (i + 2 >= value.length() || !isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
