package dev.sluice.server.security.cluster;

import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.PrivilegeSet;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.Subject;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One cluster user as {@code usersInfo: {user, db}, showCredentials: true, showPrivileges: true} describes it: its
 * SCRAM keys per mechanism and its privileges (inheritedPrivileges, as Sluice's authorization model reads them;
 * actions Sluice does not know are left out, they only matter to the cluster). {@link #toString()} prints no key.
 */
record ClusterUser(UserName name, Map<ScramMechanism, ScramCredentials> credentials, Subject subject) {

    ClusterUser {
        credentials = Map.copyOf(credentials);
    }

    /**
     * Reads one element of usersInfo's {@code users} array.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed (never a key's value)
     */
    static ClusterUser fromUsersInfo(BsonDocument user) {
        BsonValue name = user.get("user");
        BsonValue db = user.get("db");
        if (name == null || !name.isString() || db == null || !db.isString()) {
            throw new IllegalArgumentException("usersInfo user without string user and db fields");
        }
        UserName userName = new UserName(name.asString().getValue(), db.asString().getValue());
        BsonValue credentials = user.get("credentials");
        if (credentials == null || !credentials.isDocument()) {
            throw new IllegalArgumentException("usersInfo of " + userName + " has no credentials document (the "
                    + "upstream must answer usersInfo with showCredentials: true)");
        }
        Map<ScramMechanism, ScramCredentials> keys = ScramCredentials.allFromBson(credentials.asDocument());
        Set<RoleName> roles = new HashSet<>();
        if (user.get("inheritedRoles") instanceof BsonArray inherited) {
            for (BsonValue role : inherited) {
                roles.add(RoleName.fromBson(role, userName.db()));
            }
        }
        List<Privilege> privileges = new ArrayList<>();
        if (user.get("inheritedPrivileges") instanceof BsonArray inherited) {
            for (BsonValue privilege : inherited) {
                if (privilege.isDocument()) {
                    privilegeOf(privilege.asDocument()).ifPresent(privileges::add);
                }
            }
        }
        return new ClusterUser(userName, keys, new Subject(userName, roles, PrivilegeSet.of(privileges)));
    }

    /** A privilege with the actions Sluice knows (mongod has more than Sluice's commands need). */
    private static java.util.Optional<Privilege> privilegeOf(BsonDocument document) {
        BsonValue resource = document.get("resource");
        BsonValue actions = document.get("actions");
        if (resource == null || !resource.isDocument() || actions == null || !actions.isArray()) {
            return java.util.Optional.empty();
        }
        EnumSet<ActionType> known = EnumSet.noneOf(ActionType.class);
        for (BsonValue action : actions.asArray()) {
            if (action.isString()) {
                ActionType.byName(action.asString().getValue()).ifPresent(known::add);
            }
        }
        if (known.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new Privilege(Resource.fromBson(resource.asDocument()), known));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** Whether {@code other} has other keys than this one (its password was changed, or a mechanism removed). */
    boolean keysDifferFrom(ClusterUser other) {
        if (!credentials.keySet().equals(other.credentials.keySet())) {
            return true;
        }
        for (Map.Entry<ScramMechanism, ScramCredentials> e : credentials.entrySet()) {
            ScramCredentials theirs = other.credentials.get(e.getKey());
            if (!MessageDigest.isEqual(e.getValue().storedKeyBytes(), theirs.storedKeyBytes())
                    || !e.getValue().salt().equals(theirs.salt())
                    || e.getValue().iterationCount() != theirs.iterationCount()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ClusterUser[" + name + ", mechanisms=" + credentials.keySet() + ", keys=<redacted>]";
    }
}
