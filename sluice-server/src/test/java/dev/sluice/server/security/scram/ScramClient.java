package dev.sluice.server.security.scram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A minimal SCRAM client for driving {@link ScramServerConversation} in tests (as a driver would):
 * client-first, client-final from the server-first, and a check of the server signature.
 */
final class ScramClient {
    private final ScramMechanism mechanism;
    private final String user;
    private final String preparedPassword;
    private final String nonce;
    private final String gs2Header;
    private String authMessage;
    private byte[] saltedPassword;

    private ScramClient(ScramMechanism mechanism, String user, String preparedPassword, String nonce,
                        String gs2Header) {
        this.mechanism = mechanism;
        this.user = user;
        this.preparedPassword = preparedPassword;
        this.nonce = nonce;
        this.gs2Header = gs2Header;
    }

    /** A client that prepares the password as mongod's drivers do (MD5 digest / SASLprep). */
    static ScramClient forMongo(ScramMechanism mechanism, String user, String password, String nonce) {
        return new ScramClient(mechanism, user, mechanism.preparePassword(user, password), nonce, "n,,");
    }

    /** A client using the password as given (RFC test vectors). */
    static ScramClient raw(ScramMechanism mechanism, String user, String password, String nonce) {
        return new ScramClient(mechanism, user, password, nonce, "n,,");
    }

    /** The same client with another gs2 header (e.g. "y,,"). */
    ScramClient withGs2Header(String header) {
        return new ScramClient(mechanism, user, preparedPassword, nonce, header);
    }

    String clientFirstBare() {
        return "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
    }

    byte[] clientFirst() {
        return (gs2Header + clientFirstBare()).getBytes(StandardCharsets.UTF_8);
    }

    byte[] clientFinal(byte[] serverFirstBytes) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        String combinedNonce = null;
        byte[] salt = null;
        int iterations = 0;
        for (String field : serverFirst.split(",")) {
            if (field.startsWith("r=")) {
                combinedNonce = field.substring(2);
            } else if (field.startsWith("s=")) {
                salt = Base64.getDecoder().decode(field.substring(2));
            } else if (field.startsWith("i=")) {
                iterations = Integer.parseInt(field.substring(2));
            }
        }
        if (combinedNonce == null || !combinedNonce.startsWith(nonce)) {
            throw new IllegalStateException("server nonce does not extend the client nonce: " + serverFirst);
        }
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8))
                + ",r=" + combinedNonce;
        authMessage = clientFirstBare() + "," + serverFirst + "," + withoutProof;
        saltedPassword = mechanism.saltedPassword(preparedPassword, salt, iterations);
        byte[] clientKey = mechanism.clientKey(saltedPassword);
        byte[] signature = mechanism.hmac(mechanism.hash(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    boolean verifyServerFinal(byte[] serverFinal) {
        String text = new String(serverFinal, StandardCharsets.UTF_8);
        if (!text.startsWith("v=")) {
            return false;
        }
        byte[] expected = mechanism.hmac(mechanism.serverKey(saltedPassword), authMessage);
        return MessageDigest.isEqual(expected, Base64.getDecoder().decode(text.substring(2)));
    }
}
