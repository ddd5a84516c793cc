package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.ResolvedRoles;
import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * usersInfo: {@code 1} (the database's users), a name, {@code {user, db}}, an array of those, or
 * {@code {forAllDBs: true}}; with showCredentials, showCustomData, showPrivileges,
 * showAuthenticationRestrictions and an equality {@code filter}. Output as mongod's: {@code _id,
 * userId, user, db, [credentials], [customData], roles, mechanisms}, then with showPrivileges
 * {@code inheritedRoles, inheritedPrivileges, inheritedAuthenticationRestrictions}. SCRAM keys appear
 * only with showCredentials. Answered from the store's snapshot.
 */
final class UsersInfo {
    private static final Set<String> FIELDS = Set.of("showCredentials", "showCustomData", "showPrivileges",
            "showAuthenticationRestrictions", "filter");
    private static final Comparator<StoredUser> ORDER = Comparator.comparing((StoredUser u) -> u.name().user())
            .thenComparing(u -> u.name().db());

    private final UserStore store;

    UsersInfo(UserStore store) {
        this.store = store;
    }

    BsonDocument run(BsonDocument command, String db) {
        CommandFields f = new CommandFields("usersInfo", command, FIELDS);
        boolean showCredentials = f.flag("showCredentials", false);
        boolean showCustomData = f.flag("showCustomData", true);
        boolean showPrivileges = f.flag("showPrivileges", false);
        boolean showRestrictions = f.flag("showAuthenticationRestrictions", false);
        BsonDocument filterDocument = f.optionalDocument("filter");
        UsersInfoFilter filter = filterDocument == null ? null : UsersInfoFilter.parse(filterDocument);
        BsonValue arg = f.get("usersInfo");
        UserSnapshot snapshot = store.snapshot();
        List<StoredUser> users;
        if (isAll(arg)) {
            if (showPrivileges || showRestrictions) {
                throw CommandError.illegalOperation(
                        "Privilege or restriction details require exact-match usersInfo queries.");
            }
            boolean allDbs = arg.isDocument();
            users = new ArrayList<>();
            for (StoredUser user : snapshot.users()) {
                if (allDbs || user.name().db().equals(db)) {
                    users.add(user);
                }
            }
            users.sort(ORDER);
        } else {
            users = new ArrayList<>();
            for (UserName name : names(arg, db)) {
                snapshot.user(name).ifPresent(users::add);
            }
            if (!showPrivileges && !showRestrictions) {
                users.sort(ORDER);
            }
        }
        BsonArray out = new BsonArray();
        for (StoredUser user : users) {
            BsonDocument document = describe(snapshot, user, showCredentials, showCustomData, showPrivileges,
                    showRestrictions);
            if (filter == null || filter.matches(document)) {
                out.add(document);
            }
        }
        return new BsonDocument("users", out).append("ok", UserAdminCommands.ok().get("ok"));
    }

    private static boolean isAll(BsonValue arg) {
        if (arg.isNumber()) {
            if (arg.asNumber().doubleValue() != 1) {
                throw CommandError.badValue("usersInfo: " + arg.asNumber().doubleValue()
                        + " (expected: 1, a user name, {user, db}, an array of those, or {forAllDBs: true})");
            }
            return true;
        }
        if (arg.isDocument() && arg.asDocument().containsKey("forAllDBs")) {
            BsonValue forAll = arg.asDocument().get("forAllDBs");
            if (arg.asDocument().size() != 1 || !forAll.isBoolean() || !forAll.asBoolean().getValue()) {
                throw CommandError.badValue("usersInfo: {forAllDBs: ...} must be exactly {forAllDBs: true}");
            }
            return true;
        }
        return false;
    }

    private static Set<UserName> names(BsonValue arg, String db) {
        Set<UserName> names = new LinkedHashSet<>();
        if (arg.isArray()) {
            UserAdminLimits.checkCount("usersInfo", arg.asArray().size(), UserAdminLimits.MAX_NAMES_PER_QUERY,
                    "MAX_NAMES_PER_QUERY");
            for (BsonValue element : arg.asArray()) {
                names.add(NameArgs.user(element, db));
            }
        } else {
            names.add(NameArgs.user(arg, db));
        }
        return names;
    }

    /** Roles in a stable order (database, then name): resolution sets have none. */
    static List<RoleName> sorted(Collection<RoleName> roles) {
        List<RoleName> out = new ArrayList<>(roles);
        out.sort(Comparator.comparing(RoleName::db).thenComparing(RoleName::role));
        return out;
    }

    static BsonDocument describe(UserSnapshot snapshot, StoredUser user, boolean showCredentials,
                                 boolean showCustomData, boolean showPrivileges, boolean showRestrictions) {
        BsonDocument document = new BsonDocument("_id", new BsonString(user.id()))
                .append("userId", new BsonBinary(user.userId(), UuidRepresentation.STANDARD))
                .append("user", new BsonString(user.name().user()))
                .append("db", new BsonString(user.name().db()));
        if (showCredentials) {
            List<ScramCredentials> credentials = new ArrayList<>(user.credentials().values());
            document.append("credentials", ScramCredentials.toCredentialsDocument(credentials));
        }
        if (showCustomData && user.customData() != null) {
            document.append("customData", user.customData().clone());
        }
        document.append("roles", StoredUser.roleArray(user.roles()));
        BsonArray mechanisms = new BsonArray();
        for (ScramMechanism mechanism : user.mechanisms()) {
            mechanisms.add(new BsonString(mechanism.mechanismName()));
        }
        if ("$external".equals(user.name().db())) {
            mechanisms.add(new BsonString("external")); // as mongod: X.509 users authenticate outside SCRAM
        }
        document.append("mechanisms", mechanisms);
        if (showPrivileges) {
            ResolvedRoles resolved = snapshot.graph().resolve(user.roles());
            document.append("inheritedRoles", StoredUser.roleArray(sorted(resolved.roles())));
            BsonArray privileges = new BsonArray();
            for (Privilege privilege : resolved.privileges().toPrivileges()) {
                privileges.add(privilege.toBson());
            }
            document.append("inheritedPrivileges", privileges);
        }
        if (showRestrictions) {
            document.append("authenticationRestrictions", new BsonArray());
        }
        if (showPrivileges || showRestrictions) {
            document.append("inheritedAuthenticationRestrictions", new BsonArray());
        }
        return document;
    }
}
