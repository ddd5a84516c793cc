package dev.sluice.server.security.users;

import org.bson.BsonDocument;

/**
 * Where Sluice keeps its users and roles: documents shaped like mongod's {@code admin.system.users}
 * and {@code admin.system.roles}, keyed by {@code _id} ({@code "<db>.<name>"}). Every call blocks
 * (bounded by the implementation's timeout) and throws {@link UserStorageException} on failure;
 * {@link #insertUser}/{@link #insertRole} throw {@link DuplicateIdException} when the {@code _id}
 * exists, which is what makes "already exists" atomic across several Sluices. Thread-safe.
 */
public interface UserStorage {
    /**
     * The backend database Sluice keeps its users and roles in ({@code sluice.users},
     * {@code sluice.roles}). Clients' commands on it must be refused: see {@link #isReserved}.
     */
    String RESERVED_DATABASE = "sluice";
    String USERS_COLLECTION = "users";
    String ROLES_COLLECTION = "roles";

    /** Whether {@code database} is Sluice's own (clients may not read or write it). Exact match, as mongod's names. */
    static boolean isReserved(String database) {
        return RESERVED_DATABASE.equals(database);
    }

    /** Every user and role document. */
    StoredDocuments loadAll();

    void insertUser(BsonDocument user);

    /** Writes the user document, creating it when its {@code _id} is absent. */
    void replaceUser(BsonDocument user);

    /** @return whether a document with this {@code _id} was deleted */
    boolean deleteUser(String id);

    void insertRole(BsonDocument role);

    void replaceRole(BsonDocument role);

    boolean deleteRole(String id);
}
