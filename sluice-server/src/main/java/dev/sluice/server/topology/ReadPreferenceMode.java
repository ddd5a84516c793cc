package dev.sluice.server.topology;

/** A read preference mode, with the camel-case name drivers send in {@code $readPreference.mode}. */
public enum ReadPreferenceMode {
    PRIMARY("primary"),
    PRIMARY_PREFERRED("primaryPreferred"),
    SECONDARY("secondary"),
    SECONDARY_PREFERRED("secondaryPreferred"),
    NEAREST("nearest");

    private final String wireName;

    ReadPreferenceMode(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name in {@code $readPreference}, for example {@code "secondaryPreferred"} */
    public String wireName() {
        return wireName;
    }

    /**
     * Exact match, as mongos does.
     *
     * @param name a mode name
     * @return the mode, or null when the name is none of the five
     */
    public static ReadPreferenceMode fromWireName(String name) {
        for (ReadPreferenceMode m : values()) {
            if (m.wireName.equals(name)) {
                return m;
            }
        }
        return null;
    }
}
