package dev.sluice.server.security.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a command requires of its caller, as a small expression over the caller's privileges and
 * identity. Most commands need a list of privileges ({@link AllOf} of {@link Granted}); a few of
 * mongod's rules need alternatives ({@code updateUser} of one's own password), identity
 * ({@code usersInfo} on oneself) or a negation ({@code renameCollection} within a database).
 */
public sealed interface AccessCheck {

    /** Whether {@code subject} passes. */
    boolean test(Subject subject);

    /** The privileges this check names (those under {@link Not} excluded), for logs and messages. */
    default List<Privilege> privileges() {
        List<Privilege> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    /** Passes for every authenticated caller. */
    static AccessCheck authenticated() {
        return AllOf.NOTHING;
    }

    static AccessCheck granted(Resource resource, ActionType... actions) {
        return new Granted(Privilege.of(resource, actions));
    }

    static AccessCheck allOf(List<AccessCheck> checks) {
        return checks.size() == 1 ? checks.get(0) : new AllOf(checks);
    }

    static AccessCheck anyOf(AccessCheck... checks) {
        return new AnyOf(List.of(checks));
    }

    /** The privilege is granted (every action of it, on its resource). */
    record Granted(Privilege privilege) implements AccessCheck {
        public Granted {
            Objects.requireNonNull(privilege, "privilege");
        }

        @Override
        public boolean test(Subject subject) {
            return subject.privileges().isAuthorized(privilege);
        }
    }

    /** Every check passes (an empty list always passes). */
    record AllOf(List<AccessCheck> checks) implements AccessCheck {
        static final AllOf NOTHING = new AllOf(List.of());

        public AllOf {
            checks = List.copyOf(checks);
        }

        @Override
        public boolean test(Subject subject) {
            for (AccessCheck check : checks) {
                if (!check.test(subject)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** At least one check passes. */
    record AnyOf(List<AccessCheck> checks) implements AccessCheck {
        public AnyOf {
            checks = List.copyOf(checks);
            if (checks.isEmpty()) {
                throw new IllegalArgumentException("AnyOf needs at least one alternative");
            }
        }

        @Override
        public boolean test(Subject subject) {
            for (AccessCheck check : checks) {
                if (check.test(subject)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The check fails. */
    record Not(AccessCheck check) implements AccessCheck {
        public Not {
            Objects.requireNonNull(check, "check");
        }

        @Override
        public boolean test(Subject subject) {
            return !check.test(subject);
        }
    }

    /** Some action on some resource of the database ({@link PrivilegeSet#hasAnyActionInDatabase}). */
    record AnyActionInDatabase(String db) implements AccessCheck {
        public AnyActionInDatabase {
            Objects.requireNonNull(db, "db");
        }

        @Override
        public boolean test(Subject subject) {
            return subject.privileges().hasAnyActionInDatabase(db);
        }
    }

    /** The caller is logged in as this user. */
    record IsUser(UserName user) implements AccessCheck {
        public IsUser {
            Objects.requireNonNull(user, "user");
        }

        @Override
        public boolean test(Subject subject) {
            return subject.user().equals(user);
        }
    }

    /** The caller holds this role, directly or by inheritance. */
    record HasRole(RoleName role) implements AccessCheck {
        public HasRole {
            Objects.requireNonNull(role, "role");
        }

        @Override
        public boolean test(Subject subject) {
            return subject.roles().contains(role);
        }
    }

    private static void collect(AccessCheck check, List<Privilege> out) {
        if (check instanceof Granted) {
            out.add(((Granted) check).privilege());
        } else if (check instanceof AllOf) {
            ((AllOf) check).checks().forEach(c -> collect(c, out));
        } else if (check instanceof AnyOf) {
            ((AnyOf) check).checks().forEach(c -> collect(c, out));
        }
    }
}
