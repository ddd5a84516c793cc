package dev.sluice.server.security.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** A certificate as the log shows it: subject, serial, validity and SHA-256 thumbprint (as mongod logs it). */
public final class CertificateInfo {
    private CertificateInfo() {
    }

    public static String describe(X509Certificate c) {
        return "subject '" + c.getSubjectX500Principal().getName() + "', serial " + c.getSerialNumber().toString(16)
                + ", valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant()
                + ", SHA-256 thumbprint " + thumbprint(c);
    }

    static String thumbprint(X509Certificate c) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }
}
