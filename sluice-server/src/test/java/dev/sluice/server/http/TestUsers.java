package dev.sluice.server.http;

import dev.sluice.server.security.UserDirectory;
import dev.sluice.server.security.authz.RoleGraph;
import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.Subject;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users for tests, kept as the user store keeps them: SCRAM keys derived from the password (the
 * lowest iteration count allowed, to stay fast) and built-in roles resolved into a Subject.
 */
final class TestUsers implements UserDirectory {
    private static final SecureRandom RANDOM = new SecureRandom();

    private record User(Map<ScramMechanism, ScramCredentials> credentials, Subject subject) {
    }

    private final Map<UserName, User> users = new ConcurrentHashMap<>();

    /** A user of {@code db} with both mechanisms' keys and the given built-in roles ("role" or "role@db"). */
    TestUsers add(String user, String db, String password, String... roles) {
        return add(user, db, Map.of(ScramMechanism.SCRAM_SHA_256, password, ScramMechanism.SCRAM_SHA_1, password),
                roles);
    }

    /** A user whose keys per mechanism come from those passwords (e.g. SCRAM-SHA-1 only). */
    TestUsers add(String user, String db, Map<ScramMechanism, String> passwords, String... roles) {
        Map<ScramMechanism, ScramCredentials> credentials = new EnumMap<>(ScramMechanism.class);
        passwords.forEach((mechanism, password) -> credentials.put(mechanism,
                ScramCredentials.derive(mechanism, user, password, ScramCredentials.MIN_DERIVE_ITERATIONS, RANDOM)));
        List<RoleName> roleNames = new ArrayList<>();
        for (String role : roles) {
            int at = role.indexOf('@');
            roleNames.add(at < 0 ? new RoleName(role, "admin") : new RoleName(role.substring(0, at), role.substring(at + 1)));
        }
        UserName name = new UserName(user, db);
        users.put(name, new User(credentials, Subject.of(name, RoleGraph.builtinOnly().resolve(roleNames))));
        return this;
    }

    /** Drops a user, as dropUser does. */
    void remove(String user, String db) {
        users.remove(new UserName(user, db));
    }

    Subject subjectOf(String user, String db) {
        return users.get(new UserName(user, db)).subject();
    }

    @Override
    public Optional<ScramCredentials> credentials(UserName user, ScramMechanism mechanism) {
        User u = users.get(user);
        return u == null ? Optional.empty() : Optional.ofNullable(u.credentials().get(mechanism));
    }

    @Override
    public List<ScramMechanism> mechanisms(UserName user) {
        User u = users.get(user);
        return u == null ? List.of() : List.copyOf(u.credentials().keySet());
    }

    @Override
    public Optional<Subject> subject(UserName user) {
        User u = users.get(user);
        return u == null ? Optional.empty() : Optional.of(u.subject());
    }

    @Override
    public boolean isEmpty() {
        return users.isEmpty();
    }
}
