package dev.sluice.server.http;

import dev.sluice.server.security.authz.UserName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BasicCredentialsTest {
    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBareUserNameIsAUserOfAdminAndUserAtDbNamesTheDatabase() throws Exception {
        BasicCredentials admin = BasicCredentials.parse(basic("alice:s3cr:et"));
        assertThat(admin.user()).isEqualTo(new UserName("alice", "admin"));
        assertThat(admin.password()).isEqualTo("s3cr:et");
        assertThat(admin.claimed()).isEqualTo("alice");

        assertThat(BasicCredentials.parse(basic("carol@test:pw")).user()).isEqualTo(new UserName("carol", "test"));
        assertThat(BasicCredentials.parse(basic("a@b.example@admin:pw")).user())
                .isEqualTo(new UserName("a@b.example", "admin"));
        assertThat(BasicCredentials.parse("basic   " + basic("bob:").substring(6)).password()).isEmpty();
        assertThat(BasicCredentials.parse(basic("zoë:pässwörd")).password()).isEqualTo("pässwörd");
    }

    @Test
    void unreadableCredentialsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> BasicCredentials.parse("Bearer abc")).hasMessageContaining("'Bearer' is not supported");
        assertThatThrownBy(() -> BasicCredentials.parse("Basic !!!")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> BasicCredentials.parse(basic("nocolon"))).hasMessageContaining("':'");
        assertThatThrownBy(() -> BasicCredentials.parse(basic(":pw"))).hasMessageContaining("is not 'user' or 'user@db'");
        assertThatThrownBy(() -> BasicCredentials.parse(basic("alice@:pw")))
                .isInstanceOfSatisfying(BasicCredentials.Malformed.class,
                        e -> assertThat(e.claimed()).isEqualTo("alice@"));
    }

    @Test
    void thePasswordNeverShowsInToString() throws Exception {
        assertThat(BasicCredentials.parse(basic("alice:hunter2")).toString()).doesNotContain("hunter2")
                .contains("alice@admin");
    }
}
