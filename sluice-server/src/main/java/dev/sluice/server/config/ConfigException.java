package dev.sluice.server.config;

/** A configuration value was rejected; the message names the option and what is allowed. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
