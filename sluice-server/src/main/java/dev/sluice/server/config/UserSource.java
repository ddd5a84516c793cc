package dev.sluice.server.config;

/** Where the users clients log in as come from ({@code security.userSource}, flag {@code --userSource}). */
public enum UserSource {
    /** Sluice's own users, kept in its backend's {@code sluice} database; Sluice authorizes every command. */
    SLUICE("sluice"),
    /**
     * The upstream cluster's users, read by Sluice's service user (the URI's credentials); each client's backend
     * connections log in as that client's user, and the cluster authorizes what is forwarded.
     */
    CLUSTER("cluster");

    private final String optionValue;

    UserSource(String optionValue) {
        this.optionValue = optionValue;
    }

    public String optionValue() {
        return optionValue;
    }

    /** @throws ConfigException naming security.userSource and the allowed values */
    public static UserSource parse(String value) {
        for (UserSource s : values()) {
            if (s.optionValue.equals(value)) {
                return s;
            }
        }
        throw new ConfigException("security.userSource: '" + value + "' (expected: sluice or cluster)");
    }
}
