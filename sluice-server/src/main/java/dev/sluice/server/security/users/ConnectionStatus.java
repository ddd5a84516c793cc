package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.Subject;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonString;

import java.util.Comparator;
import java.util.Set;

/**
 * mongod's {@code connectionStatus}, answered by Sluice for the client's own connection to it: who logged in on
 * this connection and with which roles (every role held, inherited ones included, as mongod lists them), and with
 * {@code showPrivileges: true} the privileges those roles give. Never forwarded: upstream it would describe Sluice's
 * own service user, not the client. Without {@code --auth}, or before a login, the lists are empty, as on a mongod
 * whose client has not authenticated. Fields are read as mongod's parser reads them (unknown ones refused, 40415;
 * {@code showPrivileges} a bool or a number, else TypeMismatch).
 */
public final class ConnectionStatus {
    public static final String NAME = "connectionStatus";
    private static final Set<String> FIELDS = Set.of("showPrivileges");
    private static final Comparator<RoleName> ROLE_ORDER = Comparator.comparing(RoleName::db)
            .thenComparing(RoleName::role);

    private ConnectionStatus() {
    }

    /** The reply to {@code command} from a connection on which {@code subject} logged in (null: nobody). */
    public static BsonDocument reply(BsonDocument command, Subject subject) {
        boolean showPrivileges;
        try {
            showPrivileges = new CommandFields(NAME, command, FIELDS).flag("showPrivileges", false);
        } catch (CommandError e) {
            return e.toReply();
        }
        BsonArray users = new BsonArray();
        BsonArray roles = new BsonArray();
        BsonArray privileges = new BsonArray();
        if (subject != null) {
            users.add(new BsonDocument("user", new BsonString(subject.user().user()))
                    .append("db", new BsonString(subject.user().db())));
            subject.roles().stream().sorted(ROLE_ORDER).forEach(role -> roles.add(role.toBson()));
            if (showPrivileges) {
                for (Privilege privilege : subject.privileges().toPrivileges()) {
                    privileges.add(privilege.toBson());
                }
            }
        }
        BsonDocument authInfo = new BsonDocument("authenticatedUsers", users).append("authenticatedUserRoles", roles);
        if (showPrivileges) {
            authInfo.append("authenticatedUserPrivileges", privileges);
        }
        return new BsonDocument("authInfo", authInfo).append("ok", new BsonDouble(1));
    }
}
