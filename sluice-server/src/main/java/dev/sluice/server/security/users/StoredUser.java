package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One user as stored, in mongod's {@code admin.system.users} shape:
 * {@code {_id: "<db>.<user>", userId: UUID, user, db, credentials: {"SCRAM-SHA-1": {...}, ...},
 * customData?, roles: [{role, db}]}}. Holds SCRAM keys only, never a password.
 *
 * @param name        the user
 * @param userId      mongod's per-user UUID (a user dropped and created again gets a new one)
 * @param credentials the SCRAM keys per mechanism, in mongod's mechanism order
 * @param roles       the roles granted directly
 * @param customData  the {@code customData} document, or null
 */
public record StoredUser(UserName name, UUID userId, Map<ScramMechanism, ScramCredentials> credentials,
                         List<RoleName> roles, BsonDocument customData) {

    public StoredUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(userId, "userId");
        EnumMap<ScramMechanism, ScramCredentials> copy = new EnumMap<>(ScramMechanism.class);
        copy.putAll(credentials);
        credentials = Collections.unmodifiableMap(copy);
        roles = List.copyOf(roles);
        customData = customData == null ? null : customData.clone();
    }

    /** mongod's {@code _id}: {@code "<db>.<user>"}. */
    public static String id(UserName name) {
        return name.db() + "." + name.user();
    }

    public String id() {
        return id(name);
    }

    /** The mechanisms the user has keys for, in mongod's order. */
    public List<ScramMechanism> mechanisms() {
        return List.copyOf(credentials.keySet());
    }

    public StoredUser withRoles(List<RoleName> newRoles) {
        return new StoredUser(name, userId, credentials, newRoles, customData);
    }

    public StoredUser withCredentials(Map<ScramMechanism, ScramCredentials> newCredentials) {
        return new StoredUser(name, userId, newCredentials, roles, customData);
    }

    public StoredUser withCustomData(BsonDocument newCustomData) {
        return new StoredUser(name, userId, credentials, roles, newCustomData);
    }

    /** The stored document (field order as mongod writes it). */
    public BsonDocument toDocument() {
        BsonDocument document = new BsonDocument("_id", new BsonString(id()))
                .append("userId", new BsonBinary(userId, UuidRepresentation.STANDARD))
                .append("user", new BsonString(name.user()))
                .append("db", new BsonString(name.db()))
                .append("credentials", ScramCredentials.toCredentialsDocument(credentials.values()));
        if (customData != null) {
            document.append("customData", customData.clone());
        }
        return document.append("roles", roleArray(roles));
    }

    /**
     * Reads a stored document.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static StoredUser fromDocument(BsonDocument document) {
        UserName name = new UserName(string(document, "user"), string(document, "db"));
        BsonValue userId = document.get("userId");
        if (userId == null || !userId.isBinary() || userId.asBinary().getType() != BsonBinarySubType.UUID_STANDARD.getValue()) {
            throw new IllegalArgumentException("user " + name + ": userId (expected: a UUID, binary subtype 4)");
        }
        BsonValue credentials = document.get("credentials");
        if (credentials == null || !credentials.isDocument()) {
            throw new IllegalArgumentException("user " + name + ": credentials (expected: a document)");
        }
        BsonValue customData = document.get("customData");
        if (customData != null && !customData.isDocument()) {
            throw new IllegalArgumentException("user " + name + ": customData (expected: a document)");
        }
        return new StoredUser(name, userId.asBinary().asUuid(UuidRepresentation.STANDARD),
                ScramCredentials.allFromBson(credentials.asDocument()), roleList(document, name.db()),
                customData == null ? null : customData.asDocument());
    }

    static BsonArray roleArray(List<RoleName> roles) {
        BsonArray array = new BsonArray();
        roles.forEach(role -> array.add(role.toBson()));
        return array;
    }

    static List<RoleName> roleList(BsonDocument document, String db) {
        BsonValue roles = document.get("roles");
        if (roles == null || !roles.isArray()) {
            throw new IllegalArgumentException(document.get("_id") + ": roles (expected: an array)");
        }
        List<RoleName> out = new ArrayList<>();
        for (BsonValue role : roles.asArray()) {
            out.add(RoleName.fromBson(role, db));
        }
        return out;
    }

    static String string(BsonDocument document, String field) {
        BsonValue value = document.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException(document.get("_id") + ": " + field + " (expected: a string)");
        }
        return value.asString().getValue();
    }

    /** No key material: the credentials print as their mechanisms. */
    @Override
    public String toString() {
        return "StoredUser[" + name + ", mechanisms=" + credentials.keySet() + ", roles=" + roles + "]";
    }
}
