package dev.sluice.server.security.users;

/**
 * Bounds on what one user or role management command may carry; an input beyond one is refused
 * with BadValue naming the constant. mongod has no such bounds beyond its 16 MiB command size:
 * these keep every command's work (parsing, role graph walks, key derivation input) small.
 */
public final class UserAdminLimits {
    /** Roles in one {@code roles} array (createUser, grantRolesToUser, createRole, ...). */
    public static final int MAX_ROLES_PER_COMMAND = 1_000;
    /** Privileges in one {@code privileges} array (createRole, grantPrivilegesToRole, ...). */
    public static final int MAX_PRIVILEGES_PER_COMMAND = 1_000;
    /** Users or roles named in one usersInfo / rolesInfo array. */
    public static final int MAX_NAMES_PER_QUERY = 1_000;
    /** Length in UTF-8 bytes of a user, role or database name. */
    public static final int MAX_NAME_BYTES = 1_024;
    /** Length in characters of a password. */
    public static final int MAX_PASSWORD_CHARS = 4_096;
    /** Size in bytes of a user's customData document. */
    public static final int MAX_CUSTOM_DATA_BYTES = 65_536;

    private UserAdminLimits() {
    }

    static void checkCount(String field, int count, int limit, String limitName) {
        if (count > limit) {
            throw CommandError.badValue(field + ": " + count + " entries (limit: UserAdminLimits." + limitName
                    + " = " + limit + ")");
        }
    }

    static void checkName(String what, String name) {
        int bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw CommandError.badValue(what + " name: " + bytes + " bytes (limit: UserAdminLimits.MAX_NAME_BYTES = "
                    + MAX_NAME_BYTES + ")");
        }
    }
}
