package dev.sluice.server.security.authz;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.sluice.server.security.authz.AuthzFixtures.allowed;
import static dev.sluice.server.security.authz.AuthzFixtures.subject;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Built-in roles x commands: each row is a role (or roles, space separated), a command, its $db and
 * whether mongod would run it.
 */
class CommandPrivilegesMatrixTest {

    @ParameterizedTest(name = "{0} | {2} | {1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
        read@shop                 | {find: 'orders'}                                                   | shop  | true
        read@shop                 | {find: 'orders'}                                                   | blog  | false
        read@shop                 | {insert: 'orders', documents: [{}]}                                | shop  | false
        read@shop                 | {count: 'orders'}                                                  | shop  | true
        read@shop                 | {distinct: 'orders', key: 'a'}                                     | shop  | true
        read@shop                 | {aggregate: 'orders', pipeline: [{$match: {}}], cursor: {}}        | shop  | true
        read@shop                 | {listCollections: 1}                                               | shop  | true
        read@shop                 | {listIndexes: 'orders'}                                            | shop  | true
        read@shop                 | {getMore: 7, collection: 'orders'}                                 | shop  | true
        read@shop                 | {killCursors: 'orders', cursors: [7]}                              | shop  | true
        read@shop                 | {createIndexes: 'orders', indexes: []}                             | shop  | false
        read@shop                 | {dbStats: 1}                                                       | shop  | true
        read@shop                 | {explain: {find: 'orders'}}                                        | shop  | true
        read@shop                 | {explain: {delete: 'orders', deletes: []}}                         | shop  | false
        readWrite@shop            | {insert: 'orders', documents: [{}]}                                | shop  | true
        readWrite@shop            | {insert: 'orders', documents: [{}]}                                | blog  | false
        readWrite@shop            | {insert: 'orders', documents: [{}], bypassDocumentValidation: true} | shop  | false
        readWrite@shop            | {update: 'orders', updates: [{q: {}, u: {}, upsert: true}]}        | shop  | true
        readWrite@shop            | {delete: 'orders', deletes: [{q: {}, limit: 0}]}                   | shop  | true
        readWrite@shop            | {findAndModify: 'orders', query: {}, remove: true}                 | shop  | true
        readWrite@shop            | {createIndexes: 'orders', indexes: []}                             | shop  | true
        readWrite@shop            | {dropIndexes: 'orders', index: '*'}                                | shop  | true
        readWrite@shop            | {create: 'fresh'}                                                  | shop  | true
        readWrite@shop            | {drop: 'orders'}                                                   | shop  | true
        readWrite@shop            | {dropDatabase: 1}                                                  | shop  | false
        readWrite@shop            | {collMod: 'orders', validator: {}}                                 | shop  | false
        readWrite@shop            | {createUser: 'bob', pwd: 'x', roles: []}                           | shop  | false
        dbAdmin@shop              | {dropDatabase: 1}                                                  | shop  | true
        dbAdmin@shop              | {collMod: 'orders', validator: {}}                                 | shop  | true
        dbAdmin@shop              | {find: 'orders'}                                                   | shop  | false
        dbAdmin@shop              | {profile: 1}                                                       | shop  | true
        dbOwner@shop              | {createUser: 'bob', pwd: 'x', roles: ['read']}                     | shop  | true
        dbOwner@shop              | {createUser: 'bob', pwd: 'x', roles: [{role: 'read', db: 'blog'}]} | shop  | false
        userAdmin@shop            | {createUser: 'bob', pwd: 'x', roles: ['readWrite']}                | shop  | true
        userAdmin@shop            | {find: 'orders'}                                                   | shop  | false
        userAdmin@shop            | {usersInfo: 1}                                                     | shop  | true
        userAdmin@shop            | {dropUser: 'bob'}                                                  | shop  | true
        userAdmin@shop            | {createRole: 'r', privileges: [{resource: {db: 'shop', collection: ''}, actions: ['find']}], roles: []} | shop | true
        userAdmin@shop            | {createRole: 'r', privileges: [{resource: {cluster: true}, actions: ['dropConnections']}], roles: []} | shop | false
        userAdminAnyDatabase@admin | {createUser: 'bob', pwd: 'x', roles: [{role: 'read', db: 'blog'}]} | shop | true
        userAdminAnyDatabase@admin | {createRole: 'dropper', privileges: [{resource: {cluster: true}, actions: ['dropConnections']}], roles: []} | admin | true
        userAdminAnyDatabase@admin | {usersInfo: {forAllDBs: true}}                                   | admin | true
        userAdminAnyDatabase@admin | {find: 'orders'}                                                  | shop  | false
        readWrite@shop            | {currentOp: 1, $ownOps: true}                                      | admin | false
        clusterMonitor@admin      | {currentOp: 1, $ownOps: true}                                      | admin | true
        readWrite@shop            | {killOp: 1, op: 12}                                                | admin | false
        hostManager@admin         | {killOp: 1, op: 12}                                                | admin | true
        readWrite@shop            | {killSessions: []}                                                 | admin | false
        hostManager@admin         | {killSessions: []}                                                 | admin | true
        readWrite@shop            | {aggregate: 1, pipeline: [{$currentOp: {}}], cursor: {}}           | admin | false
        clusterMonitor@admin      | {aggregate: 1, pipeline: [{$currentOp: {}}], cursor: {}}           | admin | true
        readWrite@shop            | {aggregate: 'system.sessions', pipeline: [{$listSessions: {}}], cursor: {}} | config | false
        clusterMonitor@admin      | {aggregate: 'system.sessions', pipeline: [{$listSessions: {}}], cursor: {}} | config | true
        readWrite@shop            | {aggregate: 1, pipeline: [{$listLocalSessions: {}}], cursor: {}}   | admin | false
        readWrite@shop            | {endSessions: []}                                                  | admin | true
        readAnyDatabase@admin     | {find: 'orders'}                                                   | blog  | true
        readAnyDatabase@admin     | {find: 'system.users'}                                             | admin | false
        readAnyDatabase@admin     | {listDatabases: 1, authorizedDatabases: false}                     | admin | true
        readAnyDatabase@admin     | {insert: 'orders', documents: [{}]}                                | blog  | false
        readWriteAnyDatabase@admin | {insert: 'orders', documents: [{}]}                               | blog  | true
        readWriteAnyDatabase@admin | {dropDatabase: 1}                                                 | blog  | false
        dbAdminAnyDatabase@admin  | {dropDatabase: 1}                                                  | blog  | true
        clusterMonitor@admin      | {serverStatus: 1}                                                  | admin | true
        clusterMonitor@admin      | {connPoolStats: 1}                                                 | admin | true
        clusterMonitor@admin      | {dropConnections: 1, hostAndPort: []}                              | admin | false
        clusterMonitor@admin      | {currentOp: 1}                                                     | admin | true
        clusterMonitor@admin      | {find: 'orders'}                                                   | shop  | false
        hostManager@admin         | {dropConnections: 1, hostAndPort: []}                              | admin | true
        hostManager@admin         | {serverStatus: 1}                                                  | admin | false
        clusterManager@admin      | {dropConnections: 1, hostAndPort: []}                              | admin | false
        clusterAdmin@admin        | {dropConnections: 1, hostAndPort: []}                              | admin | true
        clusterAdmin@admin        | {serverStatus: 1}                                                  | shop  | true
        clusterAdmin@admin        | {dropDatabase: 1}                                                  | shop  | true
        clusterAdmin@admin        | {find: 'orders'}                                                   | shop  | false
        connectionDropper@admin   | {dropConnections: 1, hostAndPort: []}                              | admin | true
        connectionDropper@admin   | {serverStatus: 1}                                                  | admin | false
        connectionDropper@admin   | {find: 'orders'}                                                   | shop  | false
        readWrite@admin           | {dropConnections: 1, hostAndPort: []}                              | admin | false
        readWrite@shop            | {dropConnections: 1, hostAndPort: []}                              | admin | false
        root@admin                | {dropConnections: 1, hostAndPort: []}                              | admin | true
        root@admin                | {createUser: 'bob', pwd: 'x', roles: ['root']}                     | admin | true
        root@admin                | {find: 'orders'}                                                   | shop  | true
        root@admin                | {aggregate: 'o', pipeline: [{$out: {db: 'other', coll: 'x'}}], cursor: {}} | shop | true
        root@admin                | {noSuchCommand: 1}                                                 | shop  | false
        __system@admin            | {noSuchCommand: 1}                                                 | shop  | true
        read@shop                 | {listConnections: 1}                                               | admin | true
        read@shop                 | {killConnection: 'mongodb-4'}                                      | admin | true
        """)
    void matrix(String roles, String command, String db, boolean expected) {
        Subject subject = subject("u", "admin", roles.trim().split("\\s+"));
        assertThat(allowed(subject, command, db.trim())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
        {aggregate: 'orders', pipeline: [{$lookup: {from: 'system.users', localField: 'a', foreignField: 'b', as: 'c'}}], cursor: {}} | false
        {aggregate: 'orders', pipeline: [{$lookup: {from: 'items', localField: 'a', foreignField: 'b', as: 'c'}}], cursor: {}}   | true
        {aggregate: 'orders', pipeline: [{$lookup: {from: {db: 'vault', coll: 'keys'}, localField: 'a', foreignField: 'b', as: 'c'}}], cursor: {}} | false
        {aggregate: 'orders', pipeline: [{$lookup: {from: 'items', as: 'c', pipeline: [{$unionWith: {coll: 'x', pipeline: [{$lookup: {from: {db: 'vault', coll: 'keys'}, as: 'k', pipeline: []}}]}}]}}], cursor: {}} | false
        {aggregate: 'orders', pipeline: [{$graphLookup: {from: 'items', startWith: '$a', connectFromField: 'a', connectToField: 'b', as: 'c'}}], cursor: {}} | true
        {aggregate: 'orders', pipeline: [{$unionWith: 'items'}], cursor: {}}                                                       | true
        {aggregate: 'orders', pipeline: [{$facet: {a: [{$lookup: {from: {db: 'vault', coll: 'keys'}, as: 'k', pipeline: []}}]}}], cursor: {}} | false
        {aggregate: 'orders', pipeline: [{$out: 'copy'}], cursor: {}}                                                              | true
        {aggregate: 'orders', pipeline: [{$out: {db: 'vault', coll: 'copy'}}], cursor: {}}                                         | false
        {aggregate: 'orders', pipeline: [{$merge: {into: {db: 'vault', coll: 'copy'}}}], cursor: {}}                              | false
        {aggregate: 'orders', pipeline: [{$merge: 'copy'}], cursor: {}}                                                            | true
        {aggregate: 'orders', pipeline: [{$out: 'copy'}], cursor: {}, bypassDocumentValidation: true}                              | false
        {aggregate: 1, pipeline: [{$documents: [{a: 1}]}], cursor: {}}                                                             | true
        {aggregate: 1, pipeline: [{$currentOp: {allUsers: true}}], cursor: {}}                                                     | false
        {explain: {aggregate: 'orders', pipeline: [{$out: {db: 'vault', coll: 'copy'}}], cursor: {}}}                              | false
        """)
    void pipelinesNeedAccessToEveryNamespaceTheyReadOrWrite(String command, boolean expected) {
        Subject readWriteShop = subject("u", "admin", "readWrite@shop");
        assertThat(allowed(readWriteShop, command, "shop")).isEqualTo(expected);
    }
}
