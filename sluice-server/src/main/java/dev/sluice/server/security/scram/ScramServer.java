package dev.sluice.server.security.scram;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The per-process SCRAM server: holds the random source, the secret behind unknown users' stand-in
 * salts and the settings, and starts one {@link ScramServerConversation} per authentication attempt.
 * Thread-safe.
 */
public final class ScramServer {
    /** mongod's server nonce: base64 of 24 random bytes (32 characters). */
    private static final int SERVER_NONCE_BYTES = 24;

    private final ScramServerSettings settings;
    private final UnknownUserCredentials unknownUsers;
    private final Supplier<String> serverNonces;

    public ScramServer(ScramServerSettings settings, SecureRandom random) {
        this(settings, UnknownUserCredentials.random(random, settings), () -> {
            byte[] nonce = new byte[SERVER_NONCE_BYTES];
            random.nextBytes(nonce);
            return Base64.getEncoder().encodeToString(nonce);
        });
    }

    /** With fixed server nonces, for the RFC test vectors. */
    ScramServer(ScramServerSettings settings, UnknownUserCredentials unknownUsers, Supplier<String> serverNonces) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.unknownUsers = Objects.requireNonNull(unknownUsers, "unknownUsers");
        this.serverNonces = Objects.requireNonNull(serverNonces, "serverNonces");
    }

    public ScramServerSettings settings() {
        return settings;
    }

    /**
     * Starts an attempt.
     *
     * @param mechanism         the mechanism named in {@code saslStart}
     * @param credentials       finds the user's stored secrets for this mechanism and database
     * @param skipEmptyExchange {@code saslStart.options.skipEmptyExchange}: when true the attempt is
     *                          done with the server-final message; when false (legacy) the client
     *                          sends one more empty message
     */
    public ScramServerConversation start(ScramMechanism mechanism, CredentialLookup credentials,
                                         boolean skipEmptyExchange) {
        return new ScramServerConversation(mechanism, credentials, skipEmptyExchange, this);
    }

    /**
     * The user named in a client-first message (to look its keys up before the conversation starts), or empty when
     * the message does not parse (the conversation will then fail as usual).
     */
    public static java.util.Optional<String> claimedUser(byte[] clientFirstMessage, int maxMessageBytes) {
        if (clientFirstMessage == null || clientFirstMessage.length > maxMessageBytes) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(ClientFirstMessage.parse(
                    new String(clientFirstMessage, java.nio.charset.StandardCharsets.UTF_8)).user());
        } catch (ScramMessageException e) {
            return java.util.Optional.empty();
        }
    }

    ScramCredentials standInFor(ScramMechanism mechanism, String user) {
        return unknownUsers.forUser(mechanism, user);
    }

    String nextServerNonce() {
        return serverNonces.get();
    }
}
