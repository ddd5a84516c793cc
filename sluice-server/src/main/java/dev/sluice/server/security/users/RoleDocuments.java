package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.RoleDefinition;
import dev.sluice.server.security.authz.RoleName;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * A user-defined role as stored, in mongod's {@code admin.system.roles} shape:
 * {@code {_id: "<db>.<role>", role, db, privileges: [{resource, actions}], roles: [{role, db}]}}.
 */
public final class RoleDocuments {
    private RoleDocuments() {
    }

    /** mongod's {@code _id}: {@code "<db>.<role>"}. */
    public static String id(RoleName name) {
        return name.db() + "." + name.role();
    }

    public static BsonDocument toDocument(RoleDefinition role) {
        return new BsonDocument("_id", new BsonString(id(role.name())))
                .append("role", new BsonString(role.name().role()))
                .append("db", new BsonString(role.name().db()))
                .append("privileges", privilegeArray(role.privileges()))
                .append("roles", StoredUser.roleArray(role.roles()));
    }

    /**
     * Reads a stored role.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static RoleDefinition fromDocument(BsonDocument document) {
        RoleName name = new RoleName(StoredUser.string(document, "role"), StoredUser.string(document, "db"));
        BsonValue privileges = document.get("privileges");
        if (privileges == null || !privileges.isArray()) {
            throw new IllegalArgumentException("role " + name + ": privileges (expected: an array)");
        }
        List<Privilege> parsed = new ArrayList<>();
        for (BsonValue privilege : privileges.asArray()) {
            if (!privilege.isDocument()) {
                throw new IllegalArgumentException("role " + name + ": privileges (expected: documents)");
            }
            parsed.add(Privilege.fromBson(privilege.asDocument()));
        }
        return new RoleDefinition(name, parsed, StoredUser.roleList(document, name.db()));
    }

    static BsonArray privilegeArray(List<Privilege> privileges) {
        BsonArray array = new BsonArray();
        privileges.forEach(privilege -> array.add(privilege.toBson()));
        return array;
    }
}
