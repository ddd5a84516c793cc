package dev.sluice.server.security.scram;

/** A client SCRAM message that does not parse; the text is for the server log only. */
final class ScramMessageException extends Exception {
    ScramMessageException(String message) {
        super(message, null, false, false);
    }
}
