package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.BuiltinRoles;
import dev.sluice.server.security.authz.RoleDefinition;
import dev.sluice.server.security.authz.RoleGraph;
import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.Subject;
import dev.sluice.server.security.authz.UserName;
import org.bson.BsonDocument;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The users and roles at one moment, immutable: what {@link UserStore} answers authentication and
 * authorization from, and what management commands validate against. Subjects are resolved once
 * per user and snapshot.
 */
public final class UserSnapshot {
    static final UserSnapshot EMPTY = new UserSnapshot(Map.of(), Map.of());

    private final Map<UserName, StoredUser> users;
    private final Map<RoleName, RoleDefinition> roles;
    private final RoleGraph graph;
    private final Map<UserName, Subject> subjects = new ConcurrentHashMap<>();

    private UserSnapshot(Map<UserName, StoredUser> users, Map<RoleName, RoleDefinition> roles) {
        this.users = Collections.unmodifiableMap(users);
        this.roles = Collections.unmodifiableMap(roles);
        this.graph = new RoleGraph(name -> Optional.ofNullable(this.roles.get(name)));
    }

    /**
     * A snapshot of stored documents. A document that cannot be read is left out and reported to
     * {@code onBadDocument} (its {@code _id} and the reason), so that one bad document does not
     * lock every user out.
     */
    static UserSnapshot of(StoredDocuments documents, BiConsumer<String, String> onBadDocument) {
        Map<UserName, StoredUser> users = new LinkedHashMap<>();
        for (BsonDocument document : documents.users()) {
            try {
                StoredUser user = StoredUser.fromDocument(document);
                users.put(user.name(), user);
            } catch (RuntimeException e) {
                onBadDocument.accept("sluice.users " + idOf(document), e.getMessage());
            }
        }
        Map<RoleName, RoleDefinition> roles = new LinkedHashMap<>();
        for (BsonDocument document : documents.roles()) {
            try {
                RoleDefinition role = RoleDocuments.fromDocument(document);
                roles.put(role.name(), role);
            } catch (RuntimeException e) {
                onBadDocument.accept("sluice.roles " + idOf(document), e.getMessage());
            }
        }
        return new UserSnapshot(users, roles);
    }

    private static String idOf(BsonDocument document) {
        org.bson.BsonValue id = document.get("_id");
        return id != null && id.isString() ? "_id \"" + id.asString().getValue() + "\"" : "_id " + id;
    }

    /** This snapshot with {@code changes} applied in order (one copy, whatever their number). */
    UserSnapshot with(List<Change> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Map<UserName, StoredUser> newUsers = new LinkedHashMap<>(users);
        Map<RoleName, RoleDefinition> newRoles = new LinkedHashMap<>(roles);
        for (Change change : changes) {
            if (change instanceof Change.PutUser put) {
                newUsers.put(put.user().name(), put.user());
            } else if (change instanceof Change.DeleteUser delete) {
                newUsers.remove(delete.name());
            } else if (change instanceof Change.PutRole put) {
                newRoles.put(put.role().name(), put.role());
            } else if (change instanceof Change.DeleteRole delete) {
                newRoles.remove(delete.name());
            }
        }
        return new UserSnapshot(newUsers, newRoles);
    }

    public Optional<StoredUser> user(UserName name) {
        return Optional.ofNullable(users.get(name));
    }

    /** A user-defined role (built-in roles are not in the snapshot: see {@link #roleExists}). */
    public Optional<RoleDefinition> role(RoleName name) {
        return Optional.ofNullable(roles.get(name));
    }

    public Collection<StoredUser> users() {
        return users.values();
    }

    /** The user-defined roles. */
    public Collection<RoleDefinition> roles() {
        return roles.values();
    }

    /** Whether {@code name} is a built-in role or a defined one. */
    public boolean roleExists(RoleName name) {
        return BuiltinRoles.isBuiltin(name) || roles.containsKey(name);
    }

    /** Built-in and user-defined roles, inheritance followed. */
    public RoleGraph graph() {
        return graph;
    }

    /** The user with its roles resolved, when it exists. */
    public Optional<Subject> subject(UserName name) {
        StoredUser user = users.get(name);
        if (user == null) {
            return Optional.empty();
        }
        return Optional.of(subjects.computeIfAbsent(name, n -> Subject.of(n, graph.resolve(user.roles()))));
    }
}
