package dev.sluice.server.security.users;

/**
 * A user-storage operation that failed, with the MongoDB error a client is answered with (the
 * backend's own code when it replied {@code ok: 0}, a network code when it did not answer).
 */
public class UserStorageException extends RuntimeException {
    private final int code;
    private final String codeName;

    public UserStorageException(int code, String codeName, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.codeName = codeName;
    }

    public int code() {
        return code;
    }

    public String codeName() {
        return codeName;
    }
}
