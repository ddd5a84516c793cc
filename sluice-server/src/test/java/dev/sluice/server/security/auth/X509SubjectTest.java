package dev.sluice.server.security.auth;

import dev.sluice.server.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

class X509SubjectTest {
    @TempDir
    static Path dir;
    private static X509Certificate app;

    @BeforeAll
    static void certificate() {
        app = TestCertificates.create(dir).client("app").certificate();
    }

    @Test
    void theUserIsTheRfc2253SubjectWhenNoneIsNamed() {
        X509Subject.Outcome o = X509Subject.of("$external", null, app, true);
        assertThat(o.refusal()).isNull();
        assertThat(o.user()).isEqualTo("O=Sluice tests,CN=app");
    }

    @Test
    void aNamedUserMustBeTheSubjectComparedAsADistinguishedName() {
        assertThat(X509Subject.of("$external", "O=Sluice tests,CN=app", app, true).user()).isEqualTo("O=Sluice tests,CN=app");
        assertThat(X509Subject.of("$external", "o=Sluice tests, cn=app", app, true).refusal()).isNull();
        assertThat(X509Subject.of("$external", "O=Sluice tests,CN=other", app, true).refusal())
                .isEqualTo("There is no x.509 client certificate matching the user.");
        assertThat(X509Subject.of("$external", "not a DN at all", app, true).refusal())
                .isEqualTo("There is no x.509 client certificate matching the user.");
    }

    @Test
    void onlyExternalAndOnlyVerifiedCertificates() {
        assertThat(X509Subject.of("admin", null, app, true).refusal())
                .isEqualTo("X.509 authentication must always use the $external database.");
        assertThat(X509Subject.of("$external", null, null, true).refusal())
                .startsWith("No verified subject name available from client");
        assertThat(X509Subject.of("$external", null, app, false).refusal())
                .contains("net.tls.allowInvalidCertificates");
    }
}
