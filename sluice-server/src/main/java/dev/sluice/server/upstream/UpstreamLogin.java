package dev.sluice.server.upstream;

import dev.sluice.server.security.scram.ScramMechanism;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Who a client's backend connections log in as, with {@code security.userSource: cluster}: the client's own cluster
 * user, with the ClientKey Sluice recovered from the client's SCRAM proof (RFC 5802: ClientKey = ClientProof XOR
 * HMAC(StoredKey, AuthMessage)) and the ServerKey, salt and iteration count read with {@code usersInfo}. With those
 * the client side of SCRAM needs no password: the proof is ClientKey XOR HMAC(H(ClientKey), AuthMessage), and the
 * server's signature is checked with ServerKey. {@link #ANONYMOUS} is a client that did not authenticate (its
 * backend connections do not authenticate either). The keys live in memory only; nothing here prints them.
 */
public final class UpstreamLogin implements ScramKeys {
    /** What a client session presents to the pools: its login, or null for Sluice's service identity. */
    public interface Holder {
        UpstreamLogin upstreamLogin();
    }

    /** A client that has not authenticated: unauthenticated backend connections. */
    public static final UpstreamLogin ANONYMOUS = new UpstreamLogin(null, null, null, null, null, null, 0);

    private final String user;
    private final String db;
    private final ScramMechanism mechanism;
    private final byte[] clientKey;
    private final byte[] serverKey;
    private final byte[] salt;
    private final int iterations;
    private final String poolKey;

    private UpstreamLogin(String user, String db, ScramMechanism mechanism, byte[] clientKey, byte[] serverKey,
                          byte[] salt, int iterations) {
        this.user = user;
        this.db = db;
        this.mechanism = mechanism;
        this.clientKey = clientKey;
        this.serverKey = serverKey;
        this.salt = salt;
        this.iterations = iterations;
        // pools are per user and per key: a password change gives the next logins a fresh pool
        this.poolKey = user == null ? "" : user + "@" + db + "|" + mechanism.mechanismName() + "|"
                + Base64.getEncoder().encodeToString(mechanism.hash(clientKey));
    }

    /**
     * A login with a verified ClientKey.
     *
     * @param clientKey the key recovered from the client's proof, already checked: H(ClientKey) == StoredKey
     */
    public static UpstreamLogin of(String user, String db, ScramMechanism mechanism, byte[] clientKey,
                                   byte[] serverKey, byte[] salt, int iterations) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(mechanism, "mechanism");
        return new UpstreamLogin(user, db, mechanism, clientKey.clone(), serverKey.clone(), salt.clone(), iterations);
    }

    /** The login identity of a request's owner: its holder's login, or null (the service identity). */
    public static UpstreamLogin of(Object owner) {
        return owner instanceof Holder holder ? holder.upstreamLogin() : null;
    }

    public boolean anonymous() {
        return user == null;
    }

    public String user() {
        return user;
    }

    public String db() {
        return db;
    }

    public ScramMechanism mechanism() {
        return mechanism;
    }

    /** "user@db", or "(unauthenticated)". */
    public String displayName() {
        return user == null ? "(unauthenticated)" : user + "@" + db;
    }

    /** Where this login's pools are kept: the user and a digest of the key (never shown). */
    String poolKey() {
        return poolKey;
    }

    @Override
    public Keys keys(ScramMechanism requested, byte[] serverSalt, int serverIterations) {
        if (user == null) {
            throw new IllegalStateException("an unauthenticated client's connections do not log in");
        }
        if (requested != mechanism) {
            throw new IllegalStateException("the client logged in with " + mechanism.mechanismName()
                    + ", so only " + mechanism.mechanismName() + " can be passed through (not "
                    + requested.mechanismName() + ")");
        }
        if (serverIterations != iterations || !MessageDigest.isEqual(serverSalt, salt)) {
            throw new IllegalStateException("the server's salt or iteration count for the user differs from the one "
                    + "Sluice read with usersInfo: the user's password changed; log in again");
        }
        return new Keys(clientKey.clone(), serverKey.clone());
    }

    /** Overwrites the keys (the login is over: its user was dropped or changed). */
    public void forget() {
        if (clientKey != null) {
            Arrays.fill(clientKey, (byte) 0);
            Arrays.fill(serverKey, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "UpstreamLogin[" + displayName() + (mechanism == null ? "" : ", " + mechanism.mechanismName())
                + ", keys=<redacted>]";
    }
}
