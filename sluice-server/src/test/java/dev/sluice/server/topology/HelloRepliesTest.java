package dev.sluice.server.topology;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class HelloRepliesTest {

    private static BsonDocument primaryListing(BsonArray hosts) {
        return new BsonDocument("ok", new BsonDouble(1)).append("isWritablePrimary", BsonBoolean.TRUE)
                .append("setName", new BsonString("rs0")).append("hosts", hosts)
                .append("maxWireVersion", new BsonInt32(21));
    }

    @Test
    void aMemberListIsReadUpToAReplicaSetsMostMembersWithoutDuplicates() {
        BsonArray hosts = new BsonArray();
        hosts.add(new BsonString("a:1"));
        hosts.add(new BsonString("a:1"));
        hosts.add(new BsonString("a:notaport"));
        for (int i = 0; i < 200_000; i++) {
            hosts.add(new BsonString("h" + i + ".example:27017"));
        }
        ServerDescription d = HelloReplies.parse(ServerAddress.parse("a:1"), primaryListing(hosts),
                OptionalDouble.of(1), 0);
        assertThat(d.type()).isEqualTo(ServerType.RS_PRIMARY);
        assertThat(d.hosts()).hasSize(HelloReplies.MAX_MEMBERS).doesNotHaveDuplicates();
        assertThat(d.hosts().get(0)).isEqualTo(ServerAddress.parse("a:1"));
        assertThat(d.hosts().get(1)).isEqualTo(ServerAddress.parse("h0.example:27017"));
    }
}
