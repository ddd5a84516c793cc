package dev.sluice.server.fleet;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Requests between Sluices of one fleet are signed with HMAC-SHA256 under the fleet's shared secret
 * (kept in the cluster's reserved {@code sluice} database, readable by Sluice's service user only),
 * over the request's time and body. The receiver accepts a signature only within a time window,
 * which bounds replays.
 */
public final class PeerSignature {
    /** The HTTP header carrying the signature. */
    public static final String HEADER = "X-Sluice-Fleet-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public PeerSignature(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("fleet secret: " + secret.length + " bytes (expected: >= 32)");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** The header value for {@code body} sent at {@code timeMillis}: {@code t=<millis>,v1=<base64 mac>}. */
    public String sign(long timeMillis, byte[] body) {
        return "t=" + timeMillis + ",v1=" + Base64.getEncoder().encodeToString(mac(timeMillis, body));
    }

    /**
     * @param header     the header received (may be null)
     * @param body       the body received
     * @param nowMillis  the receiver's clock
     * @param windowMillis how far the sender's clock may be from the receiver's
     * @return null when valid, else why not (for the log; the caller answers 401 without details)
     */
    public String verify(String header, byte[] body, long nowMillis, long windowMillis) {
        if (header == null || !header.startsWith("t=")) {
            return "no " + HEADER + " header";
        }
        int comma = header.indexOf(",v1=");
        if (comma < 0) {
            return "malformed " + HEADER + " header";
        }
        long time;
        byte[] given;
        try {
            time = Long.parseLong(header.substring(2, comma));
            given = Base64.getDecoder().decode(header.substring(comma + 4));
        } catch (IllegalArgumentException e) {
            return "malformed " + HEADER + " header";
        }
        if (Math.abs(nowMillis - time) > windowMillis) {
            return "signature time " + time + " is more than " + windowMillis + " ms away from now (" + nowMillis
                    + "): clocks apart, or a replay";
        }
        return MessageDigest.isEqual(given, mac(time, body)) ? null : "bad signature (another fleet secret?)";
    }

    private byte[] mac(long timeMillis, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(Long.toString(timeMillis).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            mac.update((byte) '\n');
            mac.update(body);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }
}
