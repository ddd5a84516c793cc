package dev.sluice.server.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the query part of a connection string into {@link UriOptions}, following the Connection String and URI
 * Options specs: unknown keys, invalid values and repeated keys are warnings (the option is ignored, or the last
 * value is used); {@code ssl} must agree with {@code tls}; proxy options may not repeat; {@code authSource} may not be
 * empty; the deprecated {@code wtimeout} yields to {@code wTimeoutMS}.
 */
final class UriOptionsParser {

    private static final Set<UriOption> UNIQUE = EnumSet.of(UriOption.PROXY_HOST, UriOption.PROXY_PORT,
            UriOption.PROXY_USERNAME, UriOption.PROXY_PASSWORD);

    private final List<String> warnings;
    private final Map<UriOption, Object> values = new EnumMap<>(UriOption.class);
    private final Set<UriOption> given = EnumSet.noneOf(UriOption.class);
    private final List<Map<String, String>> tagSets = new ArrayList<>();
    private String tlsKey;
    private String deprecatedWTimeout;

    private UriOptionsParser(List<String> warnings) {
        this.warnings = warnings;
    }

    /** Parses {@code query} (null or empty for none), adding warnings to {@code warnings}. */
    static UriOptions parse(String query, List<String> warnings) {
        UriOptionsParser p = new UriOptionsParser(warnings);
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("[&;]", -1)) {
                if (!pair.isEmpty()) {
                    p.pair(pair);
                }
            }
        }
        return p.finish();
    }

    private void pair(String pair) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
            throw new ConfigException("connection string: option '" + pair + "' has no '=' (expected key=value)");
        }
        String rawKey = pair.substring(0, eq);
        String key = PercentDecoding.wellFormed(rawKey) ? PercentDecoding.decode(rawKey, "option name") : rawKey;
        String normalized = UriOption.normalizeKey(key);
        if (normalized.equals("wtimeout")) {
            deprecatedWTimeout = pair.substring(eq + 1);
            return;
        }
        UriOption option = normalized.equals("ssl") ? UriOption.TLS : UriOption.byKey(key);
        if (option == null) {
            warnings.add("Unsupported option '" + key + "'; it is ignored");
            return;
        }
        if (!given.add(option) && UNIQUE.contains(option)) {
            throw new ConfigException("connection string: " + option.key() + " is given more than once");
        }
        value(option, key, pair.substring(eq + 1));
    }

    private void value(UriOption option, String key, String raw) {
        String shown = option.kind() == UriOption.Kind.SECRET ? "****" : raw;
        if (!PercentDecoding.wellFormed(raw)) {
            warnings.add("Unsupported value for '" + key + "': '" + shown + "' has a '%' not followed by two hex"
                    + " digits; it is ignored");
            return;
        }
        String value = PercentDecoding.decode(raw, key);
        if (option == UriOption.AUTH_SOURCE && value.isEmpty()) {
            throw new ConfigException("connection string: authSource is empty (expected a database name)");
        }
        Object parsed;
        try {
            parsed = UriValueParser.parse(option, value, warnings::add);
        } catch (UriValueParser.Invalid e) {
            warnings.add("Unsupported value for '" + key + "': '" + shown + "' (" + e.getMessage() + "); it is ignored");
            return;
        }
        if (option == UriOption.TLS) {
            tls(key, (Boolean) parsed);
        } else if (option == UriOption.READ_PREFERENCE_TAGS) {
            @SuppressWarnings("unchecked")
            Map<String, String> tags = (Map<String, String>) parsed;
            tagSets.add(tags);
            values.put(option, List.copyOf(tagSets));
        } else if (values.put(option, parsed) != null) {
            warnings.add("Option '" + option.key() + "' is given more than once; the last value is used");
        }
    }

    /** All instances of tls and ssl must have the same value (URI Options spec, conflicting TLS options). */
    private void tls(String key, Boolean value) {
        Object previous = values.put(UriOption.TLS, value);
        if (previous != null && !previous.equals(value)) {
            throw new ConfigException("connection string: '" + tlsKey + "=" + previous + "' and '" + key + "=" + value
                    + "' conflict (tls and ssl must all have the same value)");
        }
        tlsKey = key;
    }

    private UriOptions finish() {
        if (deprecatedWTimeout != null) {
            given.add(UriOption.W_TIMEOUT_MS);
            if (values.containsKey(UriOption.W_TIMEOUT_MS)) {
                warnings.add("Deprecated key 'wtimeout' present and ignored as found replacement 'wTimeoutMS' value");
            } else {
                warnings.add("Deprecated key 'wtimeout' has been replaced with 'wTimeoutMS'");
                value(UriOption.W_TIMEOUT_MS, "wtimeout", deprecatedWTimeout);
            }
        }
        return new UriOptions(values, given);
    }
}
