package dev.sluice.server.security.auth;

import dev.sluice.server.security.UserDirectory;
import dev.sluice.server.security.authz.Subject;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramMechanism;
import dev.sluice.server.security.scram.ScramServer;
import dev.sluice.server.security.scram.ScramServerConversation;
import dev.sluice.server.security.scram.ScramStep;
import dev.sluice.server.upstream.UpstreamLogin;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * mongod's SASL commands for SCRAM-SHA-1 and SCRAM-SHA-256: {@code saslStart}, {@code saslContinue},
 * {@code speculativeAuthenticate} in hello, and {@code saslSupportedMechs}. Every failure is
 * AuthenticationFailed (18) "Authentication failed.", counted and logged on the audit log with the
 * client's address; repeated failures from one address are slowed down ({@link FailureThrottle}).
 * Runs on the connection's event loop: it reads users from memory ({@link UserDirectory}) and
 * computes a few HMACs per step.
 */
public final class Authenticator {
    private static final dev.sluice.server.security.users.Audit AUDIT = new dev.sluice.server.security.users.Audit();

    /**
     * The outcome of one step: the reply, the user once authenticated, how long to hold a failure's reply, and with
     * {@code security.userSource: cluster} who the client's backend connections log in as (else null).
     */
    public record Step(BsonDocument reply, Subject authenticated, long delayMS, UpstreamLogin login) {
        public Step(BsonDocument reply, Subject authenticated, long delayMS) {
            this(reply, authenticated, delayMS, null);
        }
    }

    private final UserDirectory users;
    private final ScramServer scram;
    private final FailureThrottle throttle;
    /** userSource: cluster: keep the ClientKey of each login, for the client's backend connections. */
    private final boolean passThrough;
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong saslStarts = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong speculative = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong successes = new java.util.concurrent.atomic.AtomicLong();

    /** Client certificates are verified (net.tls.CAFile, no allowInvalidCertificates): MONGODB-X509 may be used. */
    private final boolean clientCertificatesVerified;

    public Authenticator(UserDirectory users, ScramServer scram, FailureThrottle throttle) {
        this(users, scram, throttle, false);
    }

    /**
     * @param passThrough {@code security.userSource: cluster}: users are the cluster's, read on demand
     *                    ({@link #prepare}), and each login yields the {@link UpstreamLogin} its backend
     *                    connections use
     */
    public Authenticator(UserDirectory users, ScramServer scram, FailureThrottle throttle, boolean passThrough) {
        this(users, scram, throttle, passThrough, false);
    }

    /**
     * @param passThrough                {@code security.userSource: cluster} (above)
     * @param clientCertificatesVerified the TLS layer verifies client certificates, so MONGODB-X509 may trust them
     */
    public Authenticator(UserDirectory users, ScramServer scram, FailureThrottle throttle, boolean passThrough,
                         boolean clientCertificatesVerified) {
        this.users = users;
        this.scram = scram;
        this.throttle = throttle;
        this.passThrough = passThrough;
        this.clientCertificatesVerified = clientCertificatesVerified;
    }

    /** True with {@code security.userSource: cluster}. */
    public boolean passThrough() {
        return passThrough;
    }

    /**
     * Completes once the user a {@code saslStart} names is known to the directory (at once, unless the user is
     * the cluster's and not cached yet: then after one {@code usersInfo} upstream). Never fails.
     */
    public java.util.concurrent.CompletionStage<Void> prepare(BsonDocument saslStart, String db) {
        Optional<UserName> user = claimed(saslStart, db);
        if (user.isEmpty() || users.loaded(user.get())) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return users.load(user.get());
    }

    private Optional<UserName> claimed(BsonDocument saslStart, String db) {
        if (db == null || db.isEmpty()) {
            return Optional.empty();
        }
        return ScramServer.claimedUser(payloadOf(saslStart), scram.settings().maxMessageBytes())
                .filter(u -> !u.isEmpty())
                .map(u -> new UserName(u, db));

    }

    /**
     * mongod's {@code authenticate} with {@code mechanism: "MONGODB-X509"} (also as a hello's
     * {@code speculativeAuthenticate}): the client's verified certificate subject must be a user on
     * {@code $external}. Success replies {@code {dbname: "$external", user: <subject>, ok: 1}}; every failure is
     * AuthenticationFailed (18), counted, audited and throttled like a SCRAM failure.
     *
     * @param peer the certificate the client presented on this connection, or null
     */
    public Step authenticate(BsonDocument command, String db, X509Certificate peer, String clientAddress) {
        return authenticate(command, db, peer, clientAddress, false);
    }

    /**
     * The same inside a hello's {@code speculativeAuthenticate}: a refusal is not counted nor throttled here (the
     * hello reply just leaves the field out, and the driver's own {@code authenticate} that follows is).
     */
    public Step authenticateSpeculative(BsonDocument command, String db, X509Certificate peer, String clientAddress) {
        return authenticate(command, db, peer, clientAddress, true);
    }

    private Step authenticate(BsonDocument command, String db, X509Certificate peer, String clientAddress,
                              boolean speculative) {
        Step refused = new Step(authFailed(), null, 0);
        BsonValue mechanismValue = command.get("mechanism");
        String mechanism = mechanismValue != null && mechanismValue.isString() ? mechanismValue.asString().getValue() : null;
        if (!X509Subject.MECHANISM.equals(mechanism)) {
            return speculative ? refused : failure(null, db, null, clientAddress, "authenticate with mechanism " + mechanism,
                    error(334, "MechanismUnavailable", "Received authentication for mechanism " + mechanism
                            + " which is not enabled (Sluice supports SCRAM-SHA-1 and SCRAM-SHA-256 through saslStart, "
                            + "and MONGODB-X509 through authenticate)"));
        }
        BsonValue userValue = command.get("user");
        String claimed = userValue != null && userValue.isString() ? userValue.asString().getValue() : null;
        X509Subject.Outcome outcome = X509Subject.of(db, claimed, peer, clientCertificatesVerified);
        if (outcome.refusal() != null) {
            return speculative ? refused : failure(null, db, claimed, clientAddress, X509Subject.MECHANISM + ": " + outcome.refusal(),
                    error(ScramStep.AUTHENTICATION_FAILED_CODE, ScramStep.AUTHENTICATION_FAILED_CODE_NAME,
                            outcome.refusal()));
        }
        UserName name = new UserName(outcome.user(), X509Subject.EXTERNAL);
        Optional<Subject> subject = users.subject(name);
        if (subject.isEmpty()) {
            return speculative ? refused : failure(null, X509Subject.EXTERNAL, outcome.user(), clientAddress, X509Subject.MECHANISM
                    + ": no such user on $external", authFailed());
        }
        throttle.succeeded(host(clientAddress));
        successes.incrementAndGet();
        AUDIT.record(name.toString(), String.valueOf(clientAddress), "authenticate " + X509Subject.MECHANISM,
                name.toString(), dev.sluice.server.security.users.AuditEvent.OK);
        BsonDocument reply = new BsonDocument("dbname", new BsonString(X509Subject.EXTERNAL))
                .append("user", new BsonString(outcome.user()))
                .append("ok", new BsonDouble(1));
        return new Step(reply, subject.get(), 0);
    }

    /** Authentication failures since start (for serverStatus and metrics). */
    public long failures() {
        return failures.get();
    }

    /** Successful authentications since start. */
    public long successes() {
        return successes.get();
    }

    /** saslStart commands received (a separate round trip). */
    public long saslStarts() {
        return saslStarts.get();
    }

    /** Conversations started inside hello (speculativeAuthenticate: one round trip saved each). */
    public long speculativeStarts() {
        return speculative.get();
    }

    /** {@code speculativeAuthenticate} of a hello: a saslStart carried by the handshake. */
    public Step startSpeculative(BsonDocument saslStart, String db, AuthState state, String clientAddress) {
        Optional<UserName> user = claimed(saslStart, db);
        if (user.isPresent() && !users.loaded(user.get())) {
            // the cluster's user is not cached: no speculative reply (the driver sends saslStart, which waits)
            users.load(user.get());
            return null;
        }
        speculative.incrementAndGet();
        return begin(saslStart, db, state, clientAddress);
    }

    /** {@code saslStart} on database {@code db}. */
    public Step start(BsonDocument command, String db, AuthState state, String clientAddress) {
        saslStarts.incrementAndGet();
        return begin(command, db, state, clientAddress);
    }

    private Step begin(BsonDocument command, String db, AuthState state, String clientAddress) {
        BsonValue mechanismValue = command.get("mechanism");
        String mechanismName = mechanismValue != null && mechanismValue.isString() ? mechanismValue.asString().getValue() : null;
        Optional<ScramMechanism> mechanism = mechanismName == null ? Optional.empty() : ScramMechanism.byName(mechanismName);
        if (mechanism.isEmpty()) {
            state.end();
            return failure(state, db, null, clientAddress, "mechanism " + mechanismName + " is not supported",
                    error(334, "MechanismUnavailable", "Received authentication for mechanism " + mechanismName
                            + " which is not enabled (Sluice supports SCRAM-SHA-1 and SCRAM-SHA-256)"));
        }
        byte[] payload = payloadOf(command);
        if (payload == null) {
            return failure(state, db, null, clientAddress, "saslStart without a binary payload", authFailed());
        }
        boolean skipEmpty = command.get("options") instanceof BsonDocument options
                && options.getBoolean("skipEmptyExchange", BsonBoolean.FALSE).getValue();
        ScramMechanism m = mechanism.get();
        ScramServerConversation conversation = scram.start(m,
                user -> users.credentials(new UserName(user, db), m), skipEmpty);
        state.begin(conversation, db);
        return step(conversation.first(payload), state, clientAddress);
    }

    /** {@code saslContinue}. */
    public Step next(BsonDocument command, AuthState state, String clientAddress) {
        ScramServerConversation conversation = state.conversation();
        BsonValue id = command.get("conversationId");
        if (conversation == null || id == null || !id.isNumber() || id.asNumber().intValue() != state.conversationId()) {
            state.end();
            return failure(state, null, null, clientAddress, "saslContinue without a matching saslStart",
                    error(17, "ProtocolError", "No SASL session state found"));
        }
        byte[] payload = payloadOf(command);
        if (payload == null) {
            return failure(state, state.database(), conversation.claimedUser().orElse(null), clientAddress,
                    "saslContinue without a binary payload", authFailed());
        }
        return step(conversation.next(payload), state, clientAddress);
    }

    /** The hello reply's {@code saslSupportedMechs} for {@code "db.user"}, or null (unknown user: field left out, as mongod). */
    public BsonArray supportedMechanisms(BsonValue request) {
        if (request == null || !request.isString()) {
            return null;
        }
        String value = request.asString().getValue();
        int dot = value.indexOf('.');
        if (dot <= 0 || dot == value.length() - 1) {
            return null;
        }
        UserName name = new UserName(value.substring(dot + 1), value.substring(0, dot));
        List<ScramMechanism> mechanisms = users.mechanisms(name);
        if (passThrough && !users.loaded(name)) {
            // a cluster user not read yet, or read longer than the TTL ago: read it now (the saslStart that follows
            // waits for it). Meanwhile the mechanisms last read, else both, whoever the user is (so the answer
            // tells nothing about which users exist)
            users.load(name);
            if (mechanisms.isEmpty()) {
                mechanisms = List.of(ScramMechanism.SCRAM_SHA_1, ScramMechanism.SCRAM_SHA_256);
            }
        }
        if (mechanisms.isEmpty()) {
            return null;
        }
        BsonArray names = new BsonArray();
        for (ScramMechanism m : mechanisms) {
            names.add(new BsonString(m.mechanismName()));
        }
        return names;
    }

    private Step step(ScramStep step, AuthState state, String clientAddress) {
        ScramServerConversation conversation = state.conversation();
        if (step instanceof ScramStep.Failed failed) {
            String db = state.database();
            state.end();
            return failure(state, db, conversation.claimedUser().orElse(null), clientAddress, failed.logDetail(), authFailed());
        }
        ScramStep.Challenge challenge = (ScramStep.Challenge) step;
        BsonDocument reply = new BsonDocument("conversationId", new BsonInt32(state.conversationId()))
                .append("done", BsonBoolean.valueOf(challenge.done()))
                .append("payload", new BsonBinary(challenge.payload()))
                .append("ok", new BsonDouble(1));
        Subject subject = null;
        UpstreamLogin login = null;
        Optional<String> user = conversation.authenticatedUser();
        if (user.isPresent()) {
            UserName name = new UserName(user.get(), state.database());
            Optional<Subject> resolved = users.subject(name);
            if (resolved.isEmpty()) { // dropped between the two steps
                String db = state.database();
                state.end();
                return failure(state, db, user.get(), clientAddress, "user dropped during authentication", authFailed());
            }
            subject = resolved.get();
            throttle.succeeded(host(clientAddress));
            successes.incrementAndGet();
            AUDIT.record(name.toString(), String.valueOf(clientAddress), "authenticate " + conversation.mechanism().mechanismName(),
                    name.toString(), dev.sluice.server.security.users.AuditEvent.OK);
            if (passThrough) {
                login = conversation.takeClientKey().map(k -> UpstreamLogin.of(name.user(), name.db(),
                        k.credentials().mechanism(), k.clientKey(), k.credentials().serverKeyBytes(),
                        k.credentials().saltBytes(), k.credentials().iterationCount())).orElse(null);
            }
            if (challenge.done()) {
                state.end();
            }
        }
        return new Step(reply, subject, 0, login);
    }

    private Step failure(AuthState state, String db, String user, String clientAddress, String detail, BsonDocument reply) {
        failures.incrementAndGet();
        long delay = throttle.failed(host(clientAddress));
        String claimed = user == null ? "n/a" : user + "@" + (db == null ? "?" : db);
        AUDIT.record("n/a", String.valueOf(clientAddress), "authenticate", claimed,
                dev.sluice.server.security.users.AuditEvent.error(reply.getInt32("code").getValue(),
                        reply.getString("codeName").getValue()) + " (" + detail + ")" + (delay > 0 ? "; reply delayed " + delay + " ms" : ""));
        return new Step(reply, null, delay);
    }

    private static byte[] payloadOf(BsonDocument command) {
        BsonValue payload = command.get("payload");
        if (payload != null && payload.isBinary()) {
            return payload.asBinary().getData();
        }
        if (payload != null && payload.isString()) { // mongosh may send a string payload
            return payload.asString().getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }

    private static BsonDocument authFailed() {
        return error(ScramStep.AUTHENTICATION_FAILED_CODE, ScramStep.AUTHENTICATION_FAILED_CODE_NAME,
                ScramStep.AUTHENTICATION_FAILED_MESSAGE);
    }

    static BsonDocument error(int code, String codeName, String message) {
        return new BsonDocument("ok", new BsonDouble(0)).append("errmsg", new BsonString(message))
                .append("code", new BsonInt32(code)).append("codeName", new BsonString(codeName));
    }

    private static String host(String clientAddress) {
        if (clientAddress == null) {
            return "?";
        }
        int colon = clientAddress.lastIndexOf(':');
        return colon > 0 ? clientAddress.substring(0, colon) : clientAddress;
    }
}
