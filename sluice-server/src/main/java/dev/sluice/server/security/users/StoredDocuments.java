package dev.sluice.server.security.users;

import org.bson.BsonDocument;

import java.util.List;

/**
 * Everything a {@link UserStorage} holds, as read at one moment.
 *
 * @param users user documents ({@code admin.system.users} shape)
 * @param roles role documents ({@code admin.system.roles} shape)
 */
public record StoredDocuments(List<BsonDocument> users, List<BsonDocument> roles) {
    public StoredDocuments {
        users = List.copyOf(users);
        roles = List.copyOf(roles);
    }
}
