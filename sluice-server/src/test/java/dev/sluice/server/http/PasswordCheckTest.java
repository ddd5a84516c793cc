package dev.sluice.server.http;

import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramMechanism;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordCheckTest {
    private final TestUsers users = new TestUsers()
            .add("alice", "admin", "right", "clusterMonitor")
            .add("legacy", "admin", Map.of(ScramMechanism.SCRAM_SHA_1, "old"))
            .add("both", "admin", Map.of(ScramMechanism.SCRAM_SHA_256, "new", ScramMechanism.SCRAM_SHA_1, "old"))
            .add("carol", "test", "pw", "read@test");
    private final PasswordCheck check = new PasswordCheck(users, new SecureRandom());

    @AfterEach
    void stop() {
        check.close();
    }

    @Test
    void theRightPasswordGivesTheUsersSubject() throws Exception {
        assertThat(check.verify(new UserName("alice", "admin"), "right").get(10, TimeUnit.SECONDS))
                .contains(users.subjectOf("alice", "admin"));
        assertThat(check.verifyNow(new UserName("carol", "test"), "pw")).contains(users.subjectOf("carol", "test"));
    }

    @Test
    void aWrongPasswordAnUnknownUserOrTheWrongDatabaseGiveNothing() {
        assertThat(check.verifyNow(new UserName("alice", "admin"), "wrong")).isEmpty();
        assertThat(check.verifyNow(new UserName("alice", "admin"), "")).isEmpty();
        assertThat(check.verifyNow(new UserName("nobody", "admin"), "right")).isEmpty();
        assertThat(check.verifyNow(new UserName("carol", "admin"), "pw")).isEmpty();
    }

    @Test
    void scramSha256KeysArePreferredAndSha1KeysServeUsersWithoutThem() {
        assertThat(check.verifyNow(new UserName("both", "admin"), "new")).isPresent();
        assertThat(check.verifyNow(new UserName("both", "admin"), "old")).as("the SHA-1 keys are not consulted").isEmpty();
        assertThat(check.verifyNow(new UserName("legacy", "admin"), "old")).isPresent();
        assertThat(check.verifyNow(new UserName("legacy", "admin"), "new")).isEmpty();
    }
}
