package dev.sluice.server.security.users;

import org.bson.BsonDocument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link UserStorage} in this process's memory (tests, and Sluices that need no persistence).
 * Documents are copied in and out, so callers cannot change what is stored.
 */
public final class InMemoryUserStorage implements UserStorage {
    private final Map<String, BsonDocument> users = new LinkedHashMap<>();
    private final Map<String, BsonDocument> roles = new LinkedHashMap<>();

    @Override
    public synchronized StoredDocuments loadAll() {
        return new StoredDocuments(copies(users), copies(roles));
    }

    @Override
    public synchronized void insertUser(BsonDocument user) {
        insert(users, USERS_COLLECTION, user);
    }

    @Override
    public synchronized void replaceUser(BsonDocument user) {
        users.put(id(user), user.clone());
    }

    @Override
    public synchronized boolean deleteUser(String id) {
        return users.remove(id) != null;
    }

    @Override
    public synchronized void insertRole(BsonDocument role) {
        insert(roles, ROLES_COLLECTION, role);
    }

    @Override
    public synchronized void replaceRole(BsonDocument role) {
        roles.put(id(role), role.clone());
    }

    @Override
    public synchronized boolean deleteRole(String id) {
        return roles.remove(id) != null;
    }

    private static void insert(Map<String, BsonDocument> collection, String name, BsonDocument document) {
        String id = id(document);
        if (collection.containsKey(id)) {
            throw new DuplicateIdException(name, id);
        }
        collection.put(id, document.clone());
    }

    private static String id(BsonDocument document) {
        return document.getString("_id").getValue();
    }

    private static ArrayList<BsonDocument> copies(Map<String, BsonDocument> collection) {
        ArrayList<BsonDocument> out = new ArrayList<>(collection.size());
        collection.values().forEach(document -> out.add(document.clone()));
        return out;
    }
}
