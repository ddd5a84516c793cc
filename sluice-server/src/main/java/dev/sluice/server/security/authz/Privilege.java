package dev.sluice.server.security.authz;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Actions on a resource: mongod's {@code {resource: {...}, actions: [...]}}.
 *
 * @param resource the resource (pattern in a role, target in a requirement)
 * @param actions  at least one action, held as an unmodifiable set
 */
public record Privilege(Resource resource, Set<ActionType> actions) {

    public Privilege {
        Objects.requireNonNull(resource, "resource");
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("privilege on " + resource + ": no actions (expected: at least one)");
        }
        actions = Collections.unmodifiableSet(EnumSet.copyOf(actions));
    }

    public static Privilege of(Resource resource, ActionType... actions) {
        return new Privilege(resource, EnumSet.copyOf(Arrays.asList(actions)));
    }

    public static Privilege of(Resource resource, Collection<ActionType> actions) {
        return new Privilege(resource, EnumSet.copyOf(actions));
    }

    /** mongod's document; actions sorted by name, as mongod prints them. */
    public BsonDocument toBson() {
        BsonArray names = new BsonArray();
        actions.stream().map(ActionType::actionName).sorted().forEach(name -> names.add(new BsonString(name)));
        return new BsonDocument("resource", resource.toBson()).append("actions", names);
    }

    /**
     * Reads a privilege document as given to {@code createRole}.
     *
     * @throws IllegalArgumentException on an unknown action ("Unrecognized action privilege string: x",
     *                                  mongod's wording) or a malformed document
     */
    public static Privilege fromBson(BsonDocument document) {
        BsonValue resource = document.get("resource");
        BsonValue actions = document.get("actions");
        if (resource == null || !resource.isDocument() || actions == null || !actions.isArray()) {
            throw new IllegalArgumentException("privilege " + document.toJson()
                    + " (expected: {resource: <document>, actions: <array of strings>})");
        }
        EnumSet<ActionType> parsed = EnumSet.noneOf(ActionType.class);
        for (BsonValue action : actions.asArray()) {
            if (!action.isString()) {
                throw new IllegalArgumentException("privilege actions: " + action.getBsonType()
                        + " (expected: strings)");
            }
            String name = action.asString().getValue();
            parsed.add(ActionType.byName(name).orElseThrow(
                    () -> new IllegalArgumentException("Unrecognized action privilege string: " + name)));
        }
        return new Privilege(Resource.fromBson(resource.asDocument()), parsed);
    }

    @Override
    public String toString() {
        return toBson().toJson();
    }
}
