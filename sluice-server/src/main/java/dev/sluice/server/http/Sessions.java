package dev.sluice.server.http;

import dev.sluice.server.security.authz.UserName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Dashboard sessions: a random 256-bit id (the cookie) per login, with its user and CSRF token. A
 * session ends at logout, after {@value #IDLE_TIMEOUT_MINUTES} minutes without a request, or
 * {@value #ABSOLUTE_TIMEOUT_HOURS} hours after login, whichever comes first. At most
 * {@value #MAX_SESSIONS} live at once: a login past that ends the oldest. Only a SHA-256 of each id
 * is kept, so memory holds no usable cookie. Thread-safe; every call is O(1) but the purge of
 * expired sessions at login (linear in the sessions).
 */
final class Sessions {
    static final long IDLE_TIMEOUT_MINUTES = 30;
    static final long ABSOLUTE_TIMEOUT_HOURS = 12;
    static final int MAX_SESSIONS = 1_000;
    private static final int ID_BYTES = 32;

    /** A live session: who, its CSRF token, when it began. */
    static final class Session {
        private final String key;
        private final UserName user;
        private final String csrfToken;
        private final Instant created;
        private Instant lastUsed;

        private Session(String key, UserName user, String csrfToken, Instant created) {
            this.key = key;
            this.user = user;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastUsed = created;
        }

        UserName user() {
            return user;
        }

        String csrfToken() {
            return csrfToken;
        }

        /** Whether {@code token} is this session's CSRF token (constant time). */
        boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    csrfToken.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Session[user=" + user + ", created=" + created + "]";
        }
    }

    /** A new session and the id to hand out as the cookie (kept nowhere else). */
    record Started(String id, Session session) {
        @Override
        public String toString() {
            return "Started[" + session + "]";
        }
    }

    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Session> byKey = new LinkedHashMap<>();

    Sessions(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** Starts a session for {@code user}, ending the oldest when {@value #MAX_SESSIONS} are live. */
    synchronized Started start(UserName user) {
        Instant now = clock.instant();
        purgeExpired(now);
        while (byKey.size() >= MAX_SESSIONS) {
            Iterator<String> oldest = byKey.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        String id = randomToken();
        Session session = new Session(key(id), user, randomToken(), now);
        byKey.put(session.key, session);
        return new Started(id, session);
    }

    /** The live session with this id, touched (its idle time starts again); empty when unknown or expired. */
    synchronized Optional<Session> find(String id) {
        Session session = byKey.get(key(id));
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            byKey.remove(session.key);
            return Optional.empty();
        }
        session.lastUsed = now;
        return Optional.of(session);
    }

    /** Ends the session with this id, if any. */
    synchronized void end(String id) {
        byKey.remove(key(id));
    }

    /** Ends {@code session}. */
    synchronized void end(Session session) {
        byKey.remove(session.key);
    }

    /** Live sessions (expired ones not yet purged included). */
    synchronized int size() {
        return byKey.size();
    }

    private void purgeExpired(Instant now) {
        byKey.values().removeIf(s -> expired(s, now));
    }

    private static boolean expired(Session session, Instant now) {
        return !session.lastUsed.plus(Duration.ofMinutes(IDLE_TIMEOUT_MINUTES)).isAfter(now)
                || !session.created.plus(Duration.ofHours(ABSOLUTE_TIMEOUT_HOURS)).isAfter(now);
    }

    private String randomToken() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String key(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
