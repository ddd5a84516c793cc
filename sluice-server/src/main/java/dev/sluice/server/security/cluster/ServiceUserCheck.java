package dev.sluice.server.security.cluster;

import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.authz.UserName;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.Optional;

/**
 * The start-up check of {@code security.userSource: cluster}: Sluice's service user (the upstream URI's
 * credentials) must be able to read other users' SCRAM keys, that is run {@code usersInfo} with
 * {@code showCredentials: true} for users of any database, which mongod allows with the {@code viewUser} action on
 * the user's database. The check reads the service user's own description (always allowed) and looks for
 * {@code viewUser} on all databases in its inheritedPrivileges; it also checks that the upstream answers
 * showCredentials at all.
 */
public final class ServiceUserCheck {
    /** What to grant, in the words of the error. */
    public static final String GRANT = "grant it the built-in role userAdminAnyDatabase (admin), or a custom role "
            + "with {resource: {db: \"\", collection: \"\"}, actions: [\"viewUser\"]}";

    private ServiceUserCheck() {
    }

    /**
     * The problem with the service user, or empty when it can read the users.
     *
     * @param reply the upstream's reply to {@link #command(UserName)}
     */
    public static Optional<String> problem(UserName service, BsonDocument reply) {
        BsonValue ok = reply.get("ok");
        if (ok == null || !ok.isNumber() || ok.asNumber().doubleValue() != 1.0) {
            return Optional.of("the upstream refused usersInfo for the service user " + service + ": "
                    + reply.getString("errmsg", new BsonString("no errmsg")).getValue());
        }
        BsonDocument user = null;
        if (reply.get("users") instanceof BsonArray users) {
            for (BsonValue u : users) {
                if (u.isDocument()) {
                    user = u.asDocument();
                }
            }
        }
        if (user == null) {
            return Optional.of("the upstream does not describe the service user " + service + " (usersInfo found no "
                    + "such user)");
        }
        if (!(user.get("credentials") instanceof BsonDocument)) {
            return Optional.of("the upstream answered usersInfo with showCredentials: true without credentials: it "
                    + "cannot give Sluice the users' SCRAM keys");
        }
        if (!canViewUsersEverywhere(user.get("inheritedPrivileges"))) {
            return Optional.of("the service user " + service + " lacks the viewUser action on all databases "
                    + "({db: \"\", collection: \"\"}), which usersInfo with showCredentials needs to read the users' "
                    + "SCRAM keys; " + GRANT);
        }
        return Optional.empty();
    }

    /** {@code usersInfo: {user, db}, showCredentials: true, showPrivileges: true} for the service user. */
    public static BsonDocument command(UserName service) {
        return new BsonDocument("usersInfo", new BsonDocument("user", new BsonString(service.user()))
                .append("db", new BsonString(service.db())))
                .append("showCredentials", BsonBoolean.TRUE)
                .append("showPrivileges", BsonBoolean.TRUE);
    }

    private static boolean canViewUsersEverywhere(BsonValue privileges) {
        if (!(privileges instanceof BsonArray array)) {
            return false;
        }
        for (BsonValue p : array) {
            if (!p.isDocument() || !(p.asDocument().get("resource") instanceof BsonDocument resource)
                    || !(p.asDocument().get("actions") instanceof BsonArray actions)) {
                continue;
            }
            if (!actions.contains(new BsonString(ActionType.byName("viewUser").map(ActionType::actionName)
                    .orElse("viewUser")))) {
                continue;
            }
            Resource r;
            try {
                r = Resource.fromBson(resource);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (r.equals(Resource.anyNormal()) || r.equals(Resource.anyResource())) {
                return true;
            }
        }
        return false;
    }
}
