package dev.sluice.server.security.authz;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's privileges, merged per resource pattern, with mongod's matching rules
 * ({@link Resource#searchList()}): a required action on a target is granted when the union of the
 * actions of all patterns matching the target contains it. {@link ActionType#ANY_ACTION} grants
 * every action. Immutable.
 */
public final class PrivilegeSet {
    private static final PrivilegeSet EMPTY = new PrivilegeSet(Map.of());

    private final Map<Resource, Set<ActionType>> actionsByPattern;

    private PrivilegeSet(Map<Resource, Set<ActionType>> actionsByPattern) {
        this.actionsByPattern = actionsByPattern;
    }

    public static PrivilegeSet empty() {
        return EMPTY;
    }

    public static PrivilegeSet of(Privilege... privileges) {
        return of(List.of(privileges));
    }

    public static PrivilegeSet of(Collection<Privilege> privileges) {
        Map<Resource, EnumSet<ActionType>> merged = new LinkedHashMap<>();
        for (Privilege privilege : privileges) {
            merged.computeIfAbsent(privilege.resource(), r -> EnumSet.noneOf(ActionType.class))
                    .addAll(privilege.actions());
        }
        Map<Resource, Set<ActionType>> frozen = new LinkedHashMap<>();
        merged.forEach((resource, actions) -> frozen.put(resource, Collections.unmodifiableSet(actions)));
        return new PrivilegeSet(Collections.unmodifiableMap(frozen));
    }

    /** Whether {@code action} on {@code target} is granted. */
    public boolean isAuthorized(Resource target, ActionType action) {
        return isAuthorized(Privilege.of(target, action));
    }

    /** Whether every action of {@code required} is granted on its resource. */
    public boolean isAuthorized(Privilege required) {
        EnumSet<ActionType> unmet = EnumSet.copyOf(required.actions());
        for (Resource pattern : required.resource().searchList()) {
            Set<ActionType> granted = actionsByPattern.get(pattern);
            if (granted == null) {
                continue;
            }
            if (granted.contains(ActionType.ANY_ACTION)) {
                return true;
            }
            unmet.removeAll(granted);
            if (unmet.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Whether every privilege of {@code required} is granted. */
    public boolean isAuthorized(Collection<Privilege> required) {
        for (Privilege privilege : required) {
            if (!isAuthorized(privilege)) {
                return false;
            }
        }
        return true;
    }

    /** Whether some action on {@code target} is granted (mongod's isAuthorizedForAnyActionOnResource). */
    public boolean hasAnyActionOn(Resource target) {
        for (Resource pattern : target.searchList()) {
            if (actionsByPattern.containsKey(pattern)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether some action on some resource in database {@code db} is granted (mongod's
     * isAuthorizedForAnyActionOnAnyResourceInDB): what decides which databases
     * {@code listDatabases} shows and whether {@code listCollections} with
     * {@code authorizedCollections} may run.
     */
    public boolean hasAnyActionInDatabase(String db) {
        if (actionsByPattern.containsKey(Resource.database(db))
                || actionsByPattern.containsKey(Resource.anyResource())) {
            return true;
        }
        if (!Resource.isLocalOrConfig(db) && actionsByPattern.containsKey(Resource.anyNormal())) {
            return true;
        }
        for (Resource pattern : actionsByPattern.keySet()) {
            if (pattern.kind() == Resource.Kind.COLLECTION_NAME) {
                return true;
            }
            if (pattern.kind() == Resource.Kind.EXACT_NAMESPACE && pattern.db().equals(db)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Which collections of database {@code db} some action is granted on (mongod's
     * isAuthorizedForAnyActionOnResource on each namespace): what {@code listCollections} with
     * {@code authorizedCollections} shows a caller without {@code listCollections} on the database.
     */
    public VisibleCollections visibleCollections(String db) {
        boolean all = actionsByPattern.containsKey(Resource.anyResource());
        boolean normal = actionsByPattern.containsKey(Resource.database(db))
                || !Resource.isLocalOrConfig(db) && actionsByPattern.containsKey(Resource.anyNormal());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Resource pattern : actionsByPattern.keySet()) {
            if (pattern.kind() == Resource.Kind.COLLECTION_NAME
                    || pattern.kind() == Resource.Kind.EXACT_NAMESPACE && pattern.db().equals(db)) {
                names.add(pattern.collection());
            }
        }
        return new VisibleCollections(all, normal, Set.copyOf(names));
    }

    /**
     * @param all    every collection, system ones included (anyResource)
     * @param normal every collection that is not a {@code system.*} one
     * @param names  these collections by name (also system ones)
     */
    public record VisibleCollections(boolean all, boolean normal, Set<String> names) {
        /** Whether collection {@code collection} of the database is among them. */
        public boolean shows(String collection) {
            return all || names.contains(collection) || normal && !collection.startsWith("system.");
        }
    }

    /** The actions granted on exactly this pattern (no matching), empty when none. */
    public Set<ActionType> actionsOn(Resource pattern) {
        return actionsByPattern.getOrDefault(pattern, Set.of());
    }

    /** One privilege per pattern, for {@code showPrivileges} / {@code rolesInfo} output. */
    public List<Privilege> toPrivileges() {
        List<Privilege> privileges = new ArrayList<>(actionsByPattern.size());
        actionsByPattern.forEach((resource, actions) -> privileges.add(new Privilege(resource, actions)));
        return privileges;
    }

    public boolean isEmpty() {
        return actionsByPattern.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PrivilegeSet && ((PrivilegeSet) other).actionsByPattern.equals(actionsByPattern);
    }

    @Override
    public int hashCode() {
        return actionsByPattern.hashCode();
    }

    @Override
    public String toString() {
        return toPrivileges().toString();
    }
}
