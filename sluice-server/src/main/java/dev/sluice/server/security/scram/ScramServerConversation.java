package dev.sluice.server.security.scram;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * One SCRAM authentication attempt, server side (RFC 5802, as mongod runs it): {@link #first} takes
 * the {@code saslStart} payload, {@link #next} every {@code saslContinue} payload. Not thread-safe
 * (one attempt belongs to one connection).
 *
 * <p>Every failure, whatever its cause (malformed message, channel binding asked for, wrong nonce,
 * unknown user, wrong password, oversized message, a step out of order), is one
 * {@link ScramStep.Failed}; the client learns only "Authentication failed." and the attempt is over.
 * An unknown user gets a stand-in salt and fails at the proof, like a wrong password.
 */
public final class ScramServerConversation {
    private enum State { AWAIT_FIRST, AWAIT_FINAL, AWAIT_EMPTY, DONE, FAILED }

    private final ScramMechanism mechanism;
    private final CredentialLookup lookup;
    private final boolean skipEmptyExchange;
    private final ScramServer server;

    private State state = State.AWAIT_FIRST;
    private ClientFirstMessage clientFirst;
    private ScramCredentials credentials;
    private boolean knownUser;
    private String nonce;
    private String authMessagePrefix;
    private String authenticatedUser;
    private byte[] clientKey;

    /**
     * The ClientKey recovered from a verified proof (RFC 5802: ClientProof XOR HMAC(StoredKey, AuthMessage), with
     * H(ClientKey) == StoredKey checked), with the stored credentials it verified against. Secret: kept in memory
     * only, never printed.
     */
    public record RecoveredKey(byte[] clientKey, ScramCredentials credentials) {
        @Override
        public String toString() {
            return "RecoveredKey[" + credentials + ", clientKey=<redacted>]";
        }
    }

    ScramServerConversation(ScramMechanism mechanism, CredentialLookup lookup, boolean skipEmptyExchange,
                            ScramServer server) {
        this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.skipEmptyExchange = skipEmptyExchange;
        this.server = server;
    }

    public ScramMechanism mechanism() {
        return mechanism;
    }

    /** The user named in the client-first message, once it parsed (for logs; not proof of anything). */
    public Optional<String> claimedUser() {
        return clientFirst == null ? Optional.empty() : Optional.of(clientFirst.user());
    }

    /**
     * The authenticated user, once the proof verified; read it when a step answers
     * {@code done: true}. Any failure clears it.
     */
    public Optional<String> authenticatedUser() {
        return Optional.ofNullable(authenticatedUser);
    }

    /**
     * Hands over the ClientKey once the proof verified (then forgets it here); empty before, after a failure, or
     * when already taken.
     */
    public Optional<RecoveredKey> takeClientKey() {
        if (authenticatedUser == null || clientKey == null) {
            return Optional.empty();
        }
        RecoveredKey key = new RecoveredKey(clientKey, credentials);
        clientKey = null;
        return Optional.of(key);
    }

    /** Whether the conversation is over: authenticated and done, or failed. */
    public boolean isFinished() {
        return state == State.DONE || state == State.FAILED;
    }

    /**
     * client-first-message in, server-first-message out. Calls the {@link CredentialLookup} once;
     * an exception it throws (the user store is down) propagates: that is not an authentication
     * failure and should be answered as the store's error.
     */
    public ScramStep first(byte[] clientFirstMessage) {
        if (state != State.AWAIT_FIRST) {
            return fail("client-first-message received in state " + state);
        }
        try {
            clientFirst = ClientFirstMessage.parse(decode(clientFirstMessage));
        } catch (ScramMessageException e) {
            return fail(e.getMessage());
        }
        Optional<ScramCredentials> found = lookup.find(clientFirst.user())
                .filter(c -> c.mechanism() == mechanism);
        knownUser = found.isPresent();
        credentials = found.orElseGet(() -> server.standInFor(mechanism, clientFirst.user()));
        nonce = clientFirst.nonce() + server.nextServerNonce();
        String serverFirst = "r=" + nonce + ",s=" + credentials.salt() + ",i=" + credentials.iterationCount();
        authMessagePrefix = clientFirst.bare() + "," + serverFirst + ",";
        state = State.AWAIT_FINAL;
        return new ScramStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * client-final-message in, server-final-message ({@code v=ServerSignature}) out; then, without
     * {@code skipEmptyExchange}, the legacy extra round: any client payload in, empty payload out.
     */
    public ScramStep next(byte[] clientMessage) {
        switch (state) {
            case AWAIT_FINAL:
                return finalStep(clientMessage);
            case AWAIT_EMPTY:
                if (clientMessage.length > server.settings().maxMessageBytes()) {
                    return fail(tooLarge(clientMessage));
                }
                state = State.DONE;
                return new ScramStep.Challenge(new byte[0], true);
            default:
                return fail("saslContinue received in state " + state);
        }
    }

    private ScramStep finalStep(byte[] clientMessage) {
        ClientFinalMessage clientFinal;
        try {
            clientFinal = ClientFinalMessage.parse(decode(clientMessage));
        } catch (ScramMessageException e) {
            return fail(e.getMessage());
        }
        if (!MessageDigest.isEqual(clientFinal.channelBinding(),
                clientFirst.gs2Header().getBytes(StandardCharsets.UTF_8))) {
            return fail("channel-binding attribute does not echo the gs2 header");
        }
        if (!clientFinal.nonce().equals(nonce)) {
            return fail("nonce does not match the server-first-message");
        }
        if (clientFinal.proof().length != mechanism.keyLength()) {
            return fail("proof has " + clientFinal.proof().length + " bytes (expected: " + mechanism.keyLength() + ")");
        }
        String authMessage = authMessagePrefix + clientFinal.withoutProof();
        byte[] storedKey = credentials.storedKeyBytes();
        byte[] clientSignature = mechanism.hmac(storedKey, authMessage);
        byte[] clientKey = xor(clientFinal.proof(), clientSignature);
        boolean proofMatches = MessageDigest.isEqual(mechanism.hash(clientKey), storedKey);
        byte[] serverSignature = mechanism.hmac(credentials.serverKeyBytes(), authMessage);
        if (!(proofMatches & knownUser)) {
            return fail(knownUser ? "proof does not verify" : "no " + mechanism.mechanismName()
                    + " credentials for the user");
        }
        authenticatedUser = clientFirst.user();
        this.clientKey = clientKey;
        state = skipEmptyExchange ? State.DONE : State.AWAIT_EMPTY;
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return new ScramStep.Challenge(serverFinal.getBytes(StandardCharsets.UTF_8), skipEmptyExchange);
    }

    private String decode(byte[] message) throws ScramMessageException {
        if (message.length > server.settings().maxMessageBytes()) {
            throw new ScramMessageException(tooLarge(message));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ScramMessageException("message is not UTF-8");
        }
    }

    private String tooLarge(byte[] message) {
        return "SCRAM message of " + message.length + " bytes (expected: <= "
                + server.settings().maxMessageBytes() + ", setting maxMessageBytes)";
    }

    private ScramStep fail(String detail) {
        state = State.FAILED;
        authenticatedUser = null;
        clientKey = null;
        return new ScramStep.Failed(detail);
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }
}
