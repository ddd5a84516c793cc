package dev.sluice.server.security.auth;

import javax.security.auth.x500.X500Principal;
import java.security.cert.X509Certificate;

/**
 * Who a MONGODB-X509 {@code authenticate} names, with mongod's rules: the database is {@code $external}; the client
 * presented a certificate that the TLS layer verified against {@code net.tls.CAFile}; the user name is the
 * certificate's subject as an RFC 2253 string, and a {@code user} the client sends (optional since MongoDB 3.4) must
 * be that subject (compared as distinguished names, so spacing and case of attribute names do not matter).
 */
final class X509Subject {
    static final String MECHANISM = "MONGODB-X509";
    static final String EXTERNAL = "$external";

    /** The user name to look up, or why there is none (the reply's errmsg). */
    record Outcome(String user, String refusal) {
    }

    private X509Subject() {
    }

    /**
     * @param db          the database the command ran against ({@code authenticate}'s {@code $db}, or the
     *                    speculative document's {@code db})
     * @param claimedUser the command's {@code user}, or null
     * @param peer        the client's certificate, or null when it presented none
     * @param verified    client certificates are verified (a CA file, and net.tls.allowInvalidCertificates off)
     */
    static Outcome of(String db, String claimedUser, X509Certificate peer, boolean verified) {
        if (!EXTERNAL.equals(db)) {
            return new Outcome(null, "X.509 authentication must always use the $external database.");
        }
        if (peer == null || !verified) {
            return new Outcome(null, "No verified subject name available from client (MONGODB-X509 needs a client "
                    + "certificate verified against net.tls.CAFile" + (verified ? "" : "; client certificates are not "
                    + "verified on this Sluice: set net.tls.CAFile and leave net.tls.allowInvalidCertificates off") + ")");
        }
        X500Principal subject = peer.getSubjectX500Principal();
        String name = subject.getName(X500Principal.RFC2253);
        if (claimedUser == null || claimedUser.isEmpty()) {
            return new Outcome(name, null);
        }
        if (!claimedUser.equals(name) && !sameName(claimedUser, subject)) {
            return new Outcome(null, "There is no x.509 client certificate matching the user.");
        }
        return new Outcome(claimedUser, null);
    }

    private static boolean sameName(String claimed, X500Principal subject) {
        try {
            return new X500Principal(claimed).equals(subject);
        } catch (IllegalArgumentException notADistinguishedName) {
            return false;
        }
    }
}
