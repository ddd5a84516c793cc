package dev.sluice.server.security.users;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditTest {
    @Test
    void oneLineOfQuotedFieldsInAFixedOrder() {
        assertThat(Audit.format(new AuditEvent("admin@admin", "127.0.0.1:5000", "createUser", "alice@test", "ok")))
                .isEqualTo("who=\"admin@admin\" from=\"127.0.0.1:5000\" action=\"createUser\" target=\"alice@test\" "
                        + "outcome=\"ok\"");
    }

    @Test
    void aNameCannotForgeAnotherLine() {
        String line = Audit.format(new AuditEvent("n/a", "n/a", "createUser",
                "x\" outcome=\"ok\nwho=\"root@admin\u0001@test", "error 51003 Location51003"));
        assertThat(line).doesNotContain("\n").doesNotContain("\u0001")
                .contains("target=\"x\\\" outcome=\\\"ok\\nwho=\\\"root@admin\\u0001@test\"")
                .endsWith("outcome=\"error 51003 Location51003\"");
    }

    @Test
    void isReusableWithAnySink() {
        List<AuditEvent> events = new ArrayList<>();
        new Audit(events::add).record("u@admin", "10.0.0.1:1", "killConnection", "mongodb-7", AuditEvent.OK);
        assertThat(events).containsExactly(new AuditEvent("u@admin", "10.0.0.1:1", "killConnection", "mongodb-7", "ok"));
        assertThat(AuditEvent.who(null, false)).isEqualTo("n/a");
        assertThat(AuditEvent.who(null, true)).isEqualTo("localhost exception");
    }
}
