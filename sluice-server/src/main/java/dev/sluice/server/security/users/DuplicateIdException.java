package dev.sluice.server.security.users;

/** An insert whose {@code _id} already exists in the user storage (mongod's DuplicateKey, 11000). */
public final class DuplicateIdException extends UserStorageException {
    public DuplicateIdException(String collection, String id) {
        super(11000, "DuplicateKey", "sluice." + collection + ": _id \"" + id + "\" already exists", null);
    }
}
