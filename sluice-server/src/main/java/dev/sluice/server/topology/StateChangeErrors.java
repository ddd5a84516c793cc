package dev.sluice.server.topology;

import java.util.Set;

/**
 * Recognizes the "not writable primary" and "node is recovering" errors that tell Sluice its view of a server is
 * wrong. The numeric code decides when there is one; the message is consulted only when there is no code.
 */
public final class StateChangeErrors {

    private static final Set<Integer> RECOVERING = Set.of(11600, 11602, 13436, 189, 91);
    private static final Set<Integer> NOT_WRITABLE_PRIMARY = Set.of(10107, 13435, 10058);
    private static final Set<Integer> SHUTDOWN = Set.of(11600, 91);

    private StateChangeErrors() {
    }

    /**
     * @param code    the error code, or null
     * @param message the error message, or null
     * @return true for InterruptedAtShutdown, InterruptedDueToReplStateChange, NotPrimaryOrSecondary,
     *         PrimarySteppedDown, ShutdownInProgress (or, without a code, "node is recovering" / "not master or secondary")
     */
    public static boolean isRecovering(Integer code, String message) {
        if (code != null) {
            return RECOVERING.contains(code);
        }
        return message != null && (message.contains("not master or secondary") || message.contains("node is recovering"));
    }

    /**
     * @param code    the error code, or null
     * @param message the error message, or null
     * @return true for NotWritablePrimary, NotPrimaryNoSecondaryOk, LegacyNotPrimary (or, without a code, "not master")
     */
    public static boolean isNotWritablePrimary(Integer code, String message) {
        if (code != null) {
            return NOT_WRITABLE_PRIMARY.contains(code);
        }
        return message != null && !isRecovering(null, message) && message.contains("not master");
    }

    /**
     * @param code the error code, or null
     * @return true for the "node is shutting down" codes (InterruptedAtShutdown, ShutdownInProgress)
     */
    public static boolean isShutdown(Integer code) {
        return code != null && SHUTDOWN.contains(code);
    }

    /**
     * @param code    the error code, or null
     * @param message the error message, or null
     * @return true for "not writable primary" or "node is recovering"
     */
    public static boolean isStateChange(Integer code, String message) {
        return isRecovering(code, message) || isNotWritablePrimary(code, message);
    }
}
