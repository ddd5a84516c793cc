package dev.sluice.server.config;

/** Range checks whose errors name the option and the allowed range. */
public final class Ranges {
    private Ranges() {
    }

    public static void check(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(option + ": " + value + " (expected: " + min + ".." + max + ")");
        }
    }
}
