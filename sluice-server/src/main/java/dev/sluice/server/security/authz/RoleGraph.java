package dev.sluice.server.security.authz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Resolves roles (built-in and user-defined) into one privilege set, following inheritance
 * transitively. Cycles and diamonds are harmless: each role is visited once. Built-in role names win
 * over a user-defined role of the same name (mongod refuses to create one).
 */
public final class RoleGraph {
    private final Function<RoleName, Optional<RoleDefinition>> userDefinedRoles;

    /** @param userDefinedRoles finds a role created with {@code createRole}; empty when there is none */
    public RoleGraph(Function<RoleName, Optional<RoleDefinition>> userDefinedRoles) {
        this.userDefinedRoles = Objects.requireNonNull(userDefinedRoles, "userDefinedRoles");
    }

    /** A graph of the built-in roles only. */
    public static RoleGraph builtinOnly() {
        return new RoleGraph(name -> Optional.empty());
    }

    /** The definition of {@code name}: built-in first, then user-defined. */
    public Optional<RoleDefinition> definition(RoleName name) {
        Optional<RoleDefinition> builtin = BuiltinRoles.find(name);
        return builtin.isPresent() ? builtin : userDefinedRoles.apply(name);
    }

    /**
     * Resolves a user's (or role's) direct roles. Work is linear in the roles and privileges reached.
     *
     * <p>The roles reported are those mongod reports (its "indirect roles"): the direct ones and what user-defined
     * roles inherit. A built-in role's own composition here ({@code root} from {@code clusterAdmin} and others, a
     * way of writing mongod's privilege lists once) gives privileges but is not reported: in mongod a built-in role
     * inherits nothing ({@code rolesInfo} shows {@code roles: []}, {@code connectionStatus} of a root user lists
     * root alone).
     */
    public ResolvedRoles resolve(Collection<RoleName> directRoles) {
        Set<RoleName> visited = new LinkedHashSet<>();
        Set<RoleName> reported = new LinkedHashSet<>(directRoles);
        Set<RoleName> missing = new LinkedHashSet<>();
        List<Privilege> privileges = new ArrayList<>();
        Deque<RoleName> pending = new ArrayDeque<>(directRoles);
        while (!pending.isEmpty()) {
            RoleName name = pending.poll();
            if (visited.contains(name) || missing.contains(name)) {
                continue;
            }
            Optional<RoleDefinition> definition = definition(name);
            if (definition.isEmpty()) {
                missing.add(name);
                continue;
            }
            visited.add(name);
            privileges.addAll(definition.get().privileges());
            if (reported.contains(name) && !BuiltinRoles.isBuiltin(name)) {
                reported.addAll(definition.get().roles());
            }
            pending.addAll(definition.get().roles());
        }
        reported.retainAll(visited);
        return new ResolvedRoles(reported, PrivilegeSet.of(privileges), missing);
    }
}
