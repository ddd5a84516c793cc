package dev.sluice.server.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns one decoded option value into its typed value ({@link UriOption.Kind}). A value the option cannot take raises
 * {@link Invalid}, which the options parser turns into a warning (the URI Options spec: invalid values are ignored
 * with a WARN). Parts of a list value that are wrong are dropped with a warning of their own.
 */
final class UriValueParser {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern SERVICE_NAME = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9](-?[A-Za-z0-9])*");

    /** The value is not one the option accepts; the message says what is expected. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private UriValueParser() {
    }

    static Object parse(UriOption option, String value, Consumer<String> warn) {
        if (value.isEmpty() && option.kind() != UriOption.Kind.TAG_SETS) {
            throw new Invalid("empty value");
        }
        return switch (option.kind()) {
            case BOOLEAN -> bool(value);
            case INT -> (int) integer(option, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG -> integer(option, value, Long.MIN_VALUE, Long.MAX_VALUE);
            case STRING, SECRET -> value;
            case CHOICE -> choice(option, value);
            case LIST -> list(option, value, warn);
            case KEY_VALUES -> keyValues(option, value, warn);
            case TAG_SETS -> tagSet(option, value);
            case W -> w(value);
            case SERVICE_NAME -> serviceName(value);
        };
    }

    private static Boolean bool(String value) {
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new Invalid("expected: true or false");
        };
    }

    private static long integer(UriOption option, String value, long typeMin, long typeMax) {
        String range = option.max() == Integer.MAX_VALUE || option.max() == Long.MAX_VALUE
                ? ">= " + option.min() : option.min() + ".." + option.max();
        if (!INTEGER.matcher(value).matches()) {
            throw new Invalid("not an integer (expected: " + range + ")");
        }
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new Invalid("too large (expected: " + range + ")");
        }
        if (v < typeMin || v > typeMax || v < option.min() || v > option.max()) {
            throw new Invalid("out of range (expected: " + range + ")");
        }
        return v;
    }

    private static String choice(UriOption option, String value) {
        for (String c : option.choices()) {
            if (c.equalsIgnoreCase(value)) {
                return c;
            }
        }
        throw new Invalid("expected one of " + option.choices());
    }

    private static List<String> list(UriOption option, String value, Consumer<String> warn) {
        List<String> names = new ArrayList<>();
        for (String name : value.split(",", -1)) {
            String known = null;
            for (String c : option.choices()) {
                if (c.equalsIgnoreCase(name)) {
                    known = c;
                }
            }
            if (known == null) {
                warn.accept("Unsupported value '" + name + "' in " + option.key() + " (known: " + option.choices()
                        + "); it is ignored");
            } else if (!names.contains(known)) {
                names.add(known);
            }
        }
        if (names.isEmpty()) {
            throw new Invalid("no known name (known: " + option.choices() + ")");
        }
        return List.copyOf(names);
    }

    /** KEY:VALUE pairs split at ',' and at each pair's first ':'; a malformed pair is dropped with a warning. */
    private static Map<String, String> keyValues(UriOption option, String value, Consumer<String> warn) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : value.split(",", -1)) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                warn.accept("Unsupported entry in " + option.key() + ": '" + pair + "' is not KEY:VALUE (values must not"
                        + " contain ',', even percent-encoded); it is ignored");
                continue;
            }
            if (pairs.put(pair.substring(0, colon), pair.substring(colon + 1)) != null) {
                warn.accept("Repeated key '" + pair.substring(0, colon) + "' in " + option.key() + "; the last is used");
            }
        }
        if (pairs.isEmpty()) {
            throw new Invalid("no KEY:VALUE pair");
        }
        return Collections.unmodifiableMap(pairs);
    }

    /** One tag set; any malformed pair makes the whole tag set invalid (dropping a tag would widen the match). */
    private static Map<String, String> tagSet(UriOption option, String value) {
        if (value.isEmpty()) {
            return Map.of();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : value.split(",", -1)) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new Invalid("'" + pair + "' is not TAG:VALUE (expected e.g. dc:ny,rack:1); the tag set is ignored");
            }
            tags.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        return Collections.unmodifiableMap(tags);
    }

    private static Object w(String value) {
        if (INTEGER.matcher(value).matches()) {
            try {
                int w = Integer.parseInt(value);
                if (w >= 0) {
                    return w;
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
            throw new Invalid("expected: a non-negative integer or a string such as majority");
        }
        return value;
    }

    private static String serviceName(String value) {
        if (value.length() > 15 || !SERVICE_NAME.matcher(value).matches()) {
            throw new Invalid("not an RFC 6335 service name (1-15 letters, digits and inner hyphens)");
        }
        return value;
    }
}
