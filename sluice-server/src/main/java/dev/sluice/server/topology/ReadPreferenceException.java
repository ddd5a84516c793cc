package dev.sluice.server.topology;

/**
 * A {@code $readPreference} a mongos would refuse, with the error a mongos would answer
 * ({@code ok: 0, code, codeName, errmsg}).
 */
public final class ReadPreferenceException extends RuntimeException {

    private final int code;
    private final String codeName;

    ReadPreferenceException(int code, String codeName, String message) {
        super(message);
        this.code = code;
        this.codeName = codeName;
    }

    static ReadPreferenceException failedToParse(String message) {
        return new ReadPreferenceException(9, "FailedToParse", message);
    }

    static ReadPreferenceException badValue(String message) {
        return new ReadPreferenceException(2, "BadValue", message);
    }

    static ReadPreferenceException maxStalenessOutOfRange(String message) {
        return new ReadPreferenceException(160, "MaxStalenessOutOfRange", message);
    }

    /** @return the MongoDB error code (9 FailedToParse, 2 BadValue, 160 MaxStalenessOutOfRange) */
    public int code() {
        return code;
    }

    /** @return the MongoDB code name */
    public String codeName() {
        return codeName;
    }
}
