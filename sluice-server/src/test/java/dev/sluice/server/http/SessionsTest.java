package dev.sluice.server.http;

import dev.sluice.server.security.authz.UserName;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SessionsTest {
    private final MovableClock clock = new MovableClock();
    private final Sessions sessions = new Sessions(clock, new SecureRandom());
    private final UserName alice = new UserName("alice", "admin");

    @Test
    void idsAndCsrfTokensAreRandom256BitValues() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Sessions.Started started = sessions.start(alice);
            assertThat(Base64.getUrlDecoder().decode(started.id())).hasSize(32);
            assertThat(Base64.getUrlDecoder().decode(started.session().csrfToken())).hasSize(32);
            assertThat(seen.add(started.id())).isTrue();
            assertThat(seen.add(started.session().csrfToken())).isTrue();
        }
    }

    @Test
    void aSessionIsFoundByItsIdOnlyAndChecksItsCsrfToken() {
        Sessions.Started started = sessions.start(alice);
        assertThat(sessions.find(started.id())).get().extracting(Sessions.Session::user).isEqualTo(alice);
        assertThat(sessions.find(started.session().csrfToken())).isEmpty();
        assertThat(started.session().csrfMatches(started.session().csrfToken())).isTrue();
        assertThat(started.session().csrfMatches(started.id())).isFalse();
        assertThat(started.session().csrfMatches(null)).isFalse();
        assertThat(started.toString()).doesNotContain(started.id()).doesNotContain(started.session().csrfToken());
        sessions.end(started.id());
        assertThat(sessions.find(started.id())).isEmpty();
    }

    @Test
    void thirtyIdleMinutesEndASession() {
        Sessions.Started started = sessions.start(alice);
        clock.advance(Duration.ofMinutes(Sessions.IDLE_TIMEOUT_MINUTES).minusSeconds(1));
        assertThat(sessions.find(started.id())).isPresent();
        clock.advance(Duration.ofMinutes(Sessions.IDLE_TIMEOUT_MINUTES).minusSeconds(1));
        assertThat(sessions.find(started.id())).as("each request restarts the idle time").isPresent();
        clock.advance(Duration.ofMinutes(Sessions.IDLE_TIMEOUT_MINUTES));
        assertThat(sessions.find(started.id())).isEmpty();
    }

    @Test
    void twelveHoursEndASessionHoweverBusy() {
        Sessions.Started started = sessions.start(alice);
        for (int i = 0; i < Sessions.ABSOLUTE_TIMEOUT_HOURS * 4 - 1; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.find(started.id())).isPresent();
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.find(started.id())).isEmpty();
    }

    @Test
    void pastMaxSessionsTheOldestEnds() {
        Sessions.Started first = sessions.start(alice);
        Sessions.Started second = sessions.start(alice);
        for (int i = 2; i < Sessions.MAX_SESSIONS; i++) {
            sessions.start(alice);
        }
        assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
        Sessions.Started newest = sessions.start(alice);
        assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
        assertThat(sessions.find(first.id())).isEmpty();
        assertThat(sessions.find(second.id())).isPresent();
        assertThat(sessions.find(newest.id())).isPresent();
    }
}
