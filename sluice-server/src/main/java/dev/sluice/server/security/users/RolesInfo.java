package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.BuiltinRoles;
import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.RoleDefinition;
import dev.sluice.server.security.authz.RoleName;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * rolesInfo: {@code 1} (the database's user-defined roles, and its built-in ones with
 * showBuiltinRoles), a name, {@code {role, db}} or an array of those; with showPrivileges and
 * showAuthenticationRestrictions. Each role as mongod shows it: {@code role, db, isBuiltin, roles,
 * inheritedRoles, [privileges, inheritedPrivileges], [authenticationRestrictions,
 * inheritedAuthenticationRestrictions]}; built-in roles show their privileges flattened and no
 * roles, as mongod's do. Unknown names are left out.
 */
final class RolesInfo {
    private static final Set<String> FIELDS = Set.of("showPrivileges", "showBuiltinRoles",
            "showAuthenticationRestrictions");

    private final UserStore store;

    RolesInfo(UserStore store) {
        this.store = store;
    }

    BsonDocument run(BsonDocument command, String db) {
        CommandFields f = new CommandFields("rolesInfo", command, FIELDS);
        BsonValue showPrivilegesValue = f.get("showPrivileges");
        if (showPrivilegesValue != null && showPrivilegesValue.isString()) {
            throw CommandError.badValue("showPrivileges: \"" + showPrivilegesValue.asString().getValue()
                    + "\" is not supported by Sluice (asUserFragment is not implemented); use true or false");
        }
        boolean showPrivileges = f.flag("showPrivileges", false);
        boolean showBuiltinRoles = f.flag("showBuiltinRoles", false);
        boolean showRestrictions = f.flag("showAuthenticationRestrictions", false);
        UserSnapshot snapshot = store.snapshot();
        BsonValue arg = f.get("rolesInfo");
        List<RoleName> names = new ArrayList<>();
        if (arg.isNumber()) {
            if (arg.asNumber().doubleValue() != 1) {
                throw CommandError.badValue("rolesInfo: " + arg.asNumber().doubleValue()
                        + " (expected: 1, a role name, {role, db}, or an array of those)");
            }
            if (showBuiltinRoles) {
                names.addAll(BuiltinRoles.rolesOf(db));
            }
            List<RoleName> defined = new ArrayList<>();
            for (RoleDefinition role : snapshot.roles()) {
                if (role.name().db().equals(db)) {
                    defined.add(role.name());
                }
            }
            defined.sort(Comparator.comparing(RoleName::role));
            names.addAll(defined);
        } else if (arg.isArray()) {
            UserAdminLimits.checkCount("rolesInfo", arg.asArray().size(), UserAdminLimits.MAX_NAMES_PER_QUERY,
                    "MAX_NAMES_PER_QUERY");
            LinkedHashSet<RoleName> unique = new LinkedHashSet<>();
            for (BsonValue element : arg.asArray()) {
                unique.add(NameArgs.role(element, db));
            }
            names.addAll(unique);
        } else {
            names.add(NameArgs.role(arg, db));
        }
        BsonArray out = new BsonArray();
        for (RoleName name : names) {
            describe(snapshot, name, showPrivileges, showRestrictions).ifPresent(out::add);
        }
        return new BsonDocument("roles", out).append("ok", UserAdminCommands.ok().get("ok"));
    }

    private static Optional<BsonDocument> describe(UserSnapshot snapshot, RoleName name, boolean showPrivileges,
                                                   boolean showRestrictions) {
        boolean builtin = BuiltinRoles.isBuiltin(name);
        Optional<RoleDefinition> definition = builtin ? BuiltinRoles.find(name) : snapshot.role(name);
        if (definition.isEmpty()) {
            return Optional.empty();
        }
        List<RoleName> direct = builtin ? List.of() : definition.get().roles();
        List<RoleName> inherited = builtin ? List.of()
                : UsersInfo.sorted(snapshot.graph().resolve(direct).roles());
        BsonDocument document = new BsonDocument("role", new BsonString(name.role()))
                .append("db", new BsonString(name.db()))
                .append("isBuiltin", BsonBoolean.valueOf(builtin))
                .append("roles", StoredUser.roleArray(direct))
                .append("inheritedRoles", StoredUser.roleArray(inherited));
        if (showPrivileges) {
            List<Privilege> all = snapshot.graph().resolve(List.of(name)).privileges().toPrivileges();
            document.append("privileges", privileges(builtin ? all : definition.get().privileges()));
            document.append("inheritedPrivileges", privileges(all));
        }
        if (showRestrictions) {
            document.append("authenticationRestrictions", new BsonArray());
            document.append("inheritedAuthenticationRestrictions", new BsonArray());
        }
        return Optional.of(document);
    }

    private static BsonArray privileges(List<Privilege> privileges) {
        BsonArray array = new BsonArray();
        privileges.forEach(privilege -> array.add(privilege.toBson()));
        return array;
    }
}
