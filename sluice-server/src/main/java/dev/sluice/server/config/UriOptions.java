package dev.sluice.server.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The typed options of a connection string: only the options given with a valid value are present. Value types are
 * those of {@link UriOption.Kind}. Immutable.
 */
public final class UriOptions {

    private final Map<UriOption, Object> values;
    private final Set<UriOption> given;

    UriOptions(Map<UriOption, Object> values, Set<UriOption> given) {
        this.values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
        this.given = given.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(given));
    }

    /** True when the option has a (valid) value. */
    public boolean has(UriOption option) {
        return values.containsKey(option);
    }

    /** Every option whose key appeared in the URI, including those whose value was invalid and ignored. */
    public Set<UriOption> given() {
        return given;
    }

    /** The option's typed value, or null. */
    public Object get(UriOption option) {
        return values.get(option);
    }

    /** The value of the option with this key (case-insensitive, aliases included), or null. */
    public Object get(String key) {
        UriOption o = "ssl".equalsIgnoreCase(key) ? UriOption.TLS
                : "wtimeout".equalsIgnoreCase(key) ? UriOption.W_TIMEOUT_MS : UriOption.byKey(key);
        return o == null ? null : values.get(o);
    }

    public Boolean bool(UriOption option) {
        return typed(option, UriOption.Kind.BOOLEAN, Boolean.class);
    }

    public boolean bool(UriOption option, boolean defaultValue) {
        Boolean b = bool(option);
        return b == null ? defaultValue : b;
    }

    public Integer integer(UriOption option) {
        return typed(option, UriOption.Kind.INT, Integer.class);
    }

    public int integer(UriOption option, int defaultValue) {
        Integer i = integer(option);
        return i == null ? defaultValue : i;
    }

    public Long longValue(UriOption option) {
        return typed(option, UriOption.Kind.LONG, Long.class);
    }

    /** A STRING, SECRET, CHOICE or SERVICE_NAME option's value, or null. */
    public String string(UriOption option) {
        Object v = values.get(option);
        return v instanceof String s && option.kind() != UriOption.Kind.W ? s : null;
    }

    @SuppressWarnings("unchecked")
    public List<String> list(UriOption option) {
        List<String> l = typed(option, UriOption.Kind.LIST, List.class);
        return l == null ? List.of() : l;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> keyValues(UriOption option) {
        Map<String, String> m = typed(option, UriOption.Kind.KEY_VALUES, Map.class);
        return m == null ? Map.of() : m;
    }

    /** readPreferenceTags: the tag sets in URI order (an empty map is the "any server" tag set). */
    @SuppressWarnings("unchecked")
    public List<Map<String, String>> tagSets() {
        List<Map<String, String>> l = (List<Map<String, String>>) values.get(UriOption.READ_PREFERENCE_TAGS);
        return l == null ? List.of() : l;
    }

    /** Write concern w: an Integer, a String, or null. */
    public Object w() {
        return values.get(UriOption.W);
    }

    /** All valid options and their values. */
    public Map<UriOption, Object> asMap() {
        return values;
    }

    private <T> T typed(UriOption option, UriOption.Kind kind, Class<T> type) {
        if (option.kind() != kind) {
            throw new IllegalArgumentException(option.key() + " is a " + option.kind() + " option, not " + kind);
        }
        return type.cast(values.get(option));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        values.forEach((o, v) -> b.append(b.length() > 1 ? ", " : "").append(o.key()).append('=')
                .append(o.kind() == UriOption.Kind.SECRET ? "****" : v));
        return b.append('}').toString();
    }
}
