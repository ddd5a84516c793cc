package dev.sluice.server.security.scram;

/**
 * What one step of a SCRAM conversation answers: the next payload, or the end of the attempt.
 */
public sealed interface ScramStep {

    /** mongod's code and wording for every authentication failure, whatever went wrong. */
    int AUTHENTICATION_FAILED_CODE = 18;
    String AUTHENTICATION_FAILED_CODE_NAME = "AuthenticationFailed";
    String AUTHENTICATION_FAILED_MESSAGE = "Authentication failed.";

    /**
     * The server's next payload.
     *
     * @param payload the bytes for the reply's {@code payload} field
     * @param done    the reply's {@code done} field: true once the client is authenticated
     */
    record Challenge(byte[] payload, boolean done) implements ScramStep {
        public Challenge {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    /**
     * The attempt failed. The client is told only {@link #AUTHENTICATION_FAILED_MESSAGE} (code 18);
     * {@code logDetail} says which check failed, for the server log only (never a secret).
     */
    record Failed(String logDetail) implements ScramStep {
    }
}
