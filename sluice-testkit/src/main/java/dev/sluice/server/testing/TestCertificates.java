package dev.sluice.server.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Certificates made at test time with BouncyCastle (nothing checked in expires): a CA, server
 * certificates for localhost / 127.0.0.1 (SAN), client certificates, an expired one, written as PEM
 * files the way operators give them to Sluice ({@code net.tls.certificateKeyFile}: the certificate,
 * then the PKCS#8 private key, encrypted or not), and the {@link SSLContext}s a driver needs.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key pair and the certificate the CA issued for it. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }
    }

    private final Path dir;
    private final Issued ca;

    private TestCertificates(Path dir, Issued ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /** A new CA; files go to {@code dir} (a JUnit {@code @TempDir}). */
    public static TestCertificates create(Path dir) {
        try {
            KeyPair keys = rsa();
            X500Name name = new X500Name("CN=Sluice Test CA,O=Sluice tests");
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new TestCertificates(dir, new Issued(keys, cert));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test CA", e);
        }
    }

    public Issued ca() {
        return ca;
    }

    /** A server certificate for localhost and 127.0.0.1, valid now. */
    public Issued server() {
        return issue("CN=localhost", true, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
    }

    /** A server certificate naming only {@code dnsName} (no localhost, no 127.0.0.1): a hostname mismatch. */
    public Issued serverFor(String dnsName) {
        return issue("CN=" + dnsName, true, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)),
                new GeneralName(GeneralName.dNSName, dnsName));
    }

    /** A server certificate for localhost and 127.0.0.1 that expired yesterday. */
    public Issued expiredServer() {
        return issue("CN=localhost", true, Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)));
    }

    /** A client certificate, valid now. */
    public Issued client(String commonName) {
        return issue("CN=" + commonName, false, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
    }

    /** A client certificate that expired yesterday. */
    public Issued expiredClient() {
        return issue("CN=expired-client", false, Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)));
    }

    /** The CA certificate as a PEM file ({@code net.tls.CAFile}). */
    public Path caFile() {
        return write("ca.pem", pem(ca.certificate()));
    }

    /** {@code issued}'s certificate then its unencrypted PKCS#8 key, in {@code fileName} (replaced if present). */
    public Path writePem(String fileName, Issued issued) {
        return write(fileName, pem(issued.certificate()) + pem(pkcs8(issued, null)));
    }

    /** As {@link #writePem} with the key encrypted (PKCS#8, PBES2 AES-256-CBC, as openssl does by default). */
    public Path writeEncryptedPem(String fileName, Issued issued, String password) {
        return write(fileName, pem(issued.certificate()) + pem(pkcs8(issued, password)));
    }

    /** {@code issued}'s certificate then its key in the traditional OpenSSL RSA format (PKCS#1, "BEGIN RSA PRIVATE KEY"). */
    public Path writePkcs1Pem(String fileName, Issued issued) {
        return write(fileName, pem(issued.certificate()) + pem(issued.keys()));
    }

    /** The certificate of {@code certificateOf} with the private key of {@code keyOf}: a key that does not match. */
    public Path writeMismatchedPem(String fileName, Issued certificateOf, Issued keyOf) {
        return write(fileName, pem(certificateOf.certificate()) + pem(pkcs8(keyOf, null)));
    }

    /** A driver's SSLContext trusting the test CA, presenting {@code clientCertificate} when not null. */
    public SSLContext clientContext(Issued clientCertificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (clientCertificate != null) {
                char[] password = "test".toCharArray();
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", clientCertificate.keys().getPrivate(), password,
                        new X509Certificate[]{clientCertificate.certificate(), ca.certificate()});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the client SSLContext", e);
        }
    }

    private Issued issue(String subject, boolean server, Instant notBefore, Instant notAfter) {
        return issue(subject, server, notBefore, notAfter, new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }

    private Issued issue(String subject, boolean server, Instant notBefore, Instant notAfter, GeneralName... names) {
        try {
            KeyPair keys = rsa();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name(subject + ",O=Sluice tests"), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            if (server) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.keys().getPrivate())));
            return new Issued(keys, cert);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue " + subject, e);
        }
    }

    /** The PKCS#8 encoding of the key: unencrypted, or PBES2 / AES-256-CBC / HMAC-SHA256 with a password. */
    private static PKCS8Generator pkcs8(Issued issued, String password) {
        try {
            if (password == null) {
                return new JcaPKCS8Generator(issued.keys().getPrivate(), null);
            }
            return new JcaPKCS8Generator(issued.keys().getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                            .setPRF(PKCS8Generator.PRF_HMACSHA256)
                            .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                            .setRandom(RANDOM).setPassword(password.toCharArray()).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode the private key", e);
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private Path write(String fileName, String content) {
        try {
            Path file = dir.resolve(fileName);
            Path tmp = dir.resolve(fileName + ".tmp");
            Files.writeString(tmp, content);
            return Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }
}
