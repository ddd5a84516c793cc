package dev.sluice.server.security.authz;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a privilege applies to, as mongod writes it in a role: {@code {db: "d", collection: "c"}} (one
 * namespace), {@code {db: "d", collection: ""}} (every normal collection of a database),
 * {@code {db: "", collection: "c"}} (that collection name in every database),
 * {@code {db: "", collection: ""}} (every normal collection of every database but {@code local} and
 * {@code config}), {@code {cluster: true}} and {@code {anyResource: true}}.
 *
 * <p>A resource is both a pattern (in a role) and a target (what a command touches); a target is
 * matched by the patterns of {@link #searchList()}. System collections ({@code system.*}) are only
 * matched by an exact namespace, their collection name, or anyResource.
 *
 * @param kind       which of the six shapes
 * @param db         the database, "" when the shape has none
 * @param collection the collection, "" when the shape has none
 */
public record Resource(Kind kind, String db, String collection) {

    /** The six resource shapes of mongod's privilege documents. */
    public enum Kind {
        /** {@code {anyResource: true}}: everything, system collections and the cluster included. */
        ANY_RESOURCE,
        /** {@code {cluster: true}}: server-wide actions. */
        CLUSTER,
        /** {@code {db: "", collection: ""}}: every normal collection (and database) outside local/config. */
        ANY_NORMAL,
        /** {@code {db: "d", collection: ""}}: database {@code d} and its normal collections. */
        DATABASE,
        /** {@code {db: "", collection: "c"}}: collection {@code c} in every database. */
        COLLECTION_NAME,
        /** {@code {db: "d", collection: "c"}}: the namespace {@code d.c}. */
        EXACT_NAMESPACE
    }

    private static final Resource ANY = new Resource(Kind.ANY_RESOURCE, "", "");
    private static final Resource CLUSTER_RESOURCE = new Resource(Kind.CLUSTER, "", "");
    private static final Resource ANY_NORMAL_RESOURCE = new Resource(Kind.ANY_NORMAL, "", "");

    public Resource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(collection, "collection");
        boolean needsDb = kind == Kind.DATABASE || kind == Kind.EXACT_NAMESPACE;
        boolean needsCollection = kind == Kind.COLLECTION_NAME || kind == Kind.EXACT_NAMESPACE;
        if (needsDb == db.isEmpty() || needsCollection == collection.isEmpty()) {
            throw new IllegalArgumentException("resource " + kind + ": db \"" + db + "\", collection \""
                    + collection + "\" do not fit the kind");
        }
    }

    public static Resource anyResource() {
        return ANY;
    }

    public static Resource cluster() {
        return CLUSTER_RESOURCE;
    }

    public static Resource anyNormal() {
        return ANY_NORMAL_RESOURCE;
    }

    public static Resource database(String db) {
        return new Resource(Kind.DATABASE, db, "");
    }

    public static Resource collectionInAnyDatabase(String collection) {
        return new Resource(Kind.COLLECTION_NAME, "", collection);
    }

    public static Resource namespace(String db, String collection) {
        return new Resource(Kind.EXACT_NAMESPACE, db, collection);
    }

    /** Whether this exact namespace is a normal (not {@code system.*}) collection. */
    public boolean isNormalCollection() {
        return kind == Kind.EXACT_NAMESPACE && !collection.startsWith("system.");
    }

    /**
     * The patterns that match this target, as mongod searches them: anyResource matches everything;
     * anyNormal matches databases and normal collections outside {@code local} and {@code config};
     * a database pattern matches its normal collections; a collection-name pattern matches that
     * name in every database; and every resource matches itself.
     */
    public List<Resource> searchList() {
        List<Resource> patterns = new ArrayList<>(5);
        patterns.add(ANY);
        if (kind == Kind.EXACT_NAMESPACE) {
            if (isNormalCollection()) {
                if (!isLocalOrConfig(db)) {
                    patterns.add(ANY_NORMAL_RESOURCE);
                }
                patterns.add(database(db));
            }
            patterns.add(collectionInAnyDatabase(collection));
        } else if (kind == Kind.DATABASE && !isLocalOrConfig(db)) {
            patterns.add(ANY_NORMAL_RESOURCE);
        }
        if (kind != Kind.ANY_RESOURCE) {
            patterns.add(this);
        }
        return patterns;
    }

    /** mongod's resource document. */
    public BsonDocument toBson() {
        switch (kind) {
            case ANY_RESOURCE: return new BsonDocument("anyResource", BsonBoolean.TRUE);
            case CLUSTER: return new BsonDocument("cluster", BsonBoolean.TRUE);
            default:
                return new BsonDocument("db", new BsonString(db)).append("collection", new BsonString(collection));
        }
    }

    /**
     * Reads a resource document.
     *
     * @throws IllegalArgumentException saying which shape was expected
     */
    public static Resource fromBson(BsonDocument document) {
        if (document.size() == 1 && isTrue(document.get("cluster"))) {
            return CLUSTER_RESOURCE;
        }
        if (document.size() == 1 && isTrue(document.get("anyResource"))) {
            return ANY;
        }
        BsonValue db = document.get("db");
        BsonValue collection = document.get("collection");
        if (document.size() != 2 || db == null || !db.isString() || collection == null || !collection.isString()) {
            throw new IllegalArgumentException("resource " + document.toJson() + " (expected: {db: <string>, "
                    + "collection: <string>}, {cluster: true} or {anyResource: true})");
        }
        String d = db.asString().getValue();
        String c = collection.asString().getValue();
        if (d.isEmpty()) {
            return c.isEmpty() ? ANY_NORMAL_RESOURCE : collectionInAnyDatabase(c);
        }
        return c.isEmpty() ? database(d) : namespace(d, c);
    }

    static boolean isLocalOrConfig(String db) {
        return db.equals("local") || db.equals("config");
    }

    private static boolean isTrue(BsonValue value) {
        return value != null && value.isBoolean() && value.asBoolean().getValue();
    }

    @Override
    public String toString() {
        return toBson().toJson();
    }
}
