package dev.sluice.server.security.authz;

import org.bson.BsonDocument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users with roles, resolved through a role graph that also knows the seeds' example role. */
final class AuthzFixtures {
    static final RoleName DROPPER = new RoleName("connectionDropper", "admin");
    static final RoleGraph GRAPH = new RoleGraph(name -> Optional.ofNullable(Map.of(DROPPER,
            new RoleDefinition(DROPPER, List.of(Privilege.fromBson(BsonDocument.parse(
                    "{resource: {cluster: true}, actions: ['dropConnections']}"))), List.of())).get(name)));

    private AuthzFixtures() {
    }

    /** A user {@code user@db} holding roles written "role@db". */
    static Subject subject(String user, String db, String... roles) {
        List<RoleName> names = new ArrayList<>();
        for (String role : roles) {
            String[] parts = role.split("@");
            names.add(new RoleName(parts[0], parts[1]));
        }
        return Subject.of(new UserName(user, db), GRAPH.resolve(names));
    }

    static boolean allowed(Subject subject, String commandJson, String db) {
        return CommandAuthorizer.authorize(BsonDocument.parse(commandJson), db, Optional.of(subject))
                instanceof AuthorizationDecision.Allowed;
    }
}
