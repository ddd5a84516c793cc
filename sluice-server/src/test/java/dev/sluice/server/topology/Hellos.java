package dev.sluice.server.topology;

import org.bson.BsonDocument;

/** Hello replies for unit tests. */
final class Hellos {

    private Hellos() {
    }

    static BsonDocument primary(String setName, String... hosts) {
        return BsonDocument.parse("{ok: 1, isWritablePrimary: true, setName: '" + setName + "', hosts: " + list(hosts)
                + ", minWireVersion: 0, maxWireVersion: 21, logicalSessionTimeoutMinutes: 30}");
    }

    static BsonDocument secondary(String setName, String... hosts) {
        return BsonDocument.parse("{ok: 1, isWritablePrimary: false, secondary: true, setName: '" + setName
                + "', hosts: " + list(hosts) + ", minWireVersion: 0, maxWireVersion: 21, logicalSessionTimeoutMinutes: 30}");
    }

    static BsonDocument arbiter(String setName, String... hosts) {
        return BsonDocument.parse("{ok: 1, isWritablePrimary: false, arbiterOnly: true, setName: '" + setName
                + "', hosts: " + list(hosts) + ", minWireVersion: 0, maxWireVersion: 21}");
    }

    static BsonDocument mongos() {
        return BsonDocument.parse("{ok: 1, isWritablePrimary: true, msg: 'isdbgrid', minWireVersion: 0, maxWireVersion: 21}");
    }

    static BsonDocument standalone() {
        return BsonDocument.parse("{ok: 1, isWritablePrimary: true, minWireVersion: 0, maxWireVersion: 21}");
    }

    private static String list(String... hosts) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < hosts.length; i++) {
            s.append(i == 0 ? "'" : ", '").append(hosts[i]).append('\'');
        }
        return s.append(']').toString();
    }
}
