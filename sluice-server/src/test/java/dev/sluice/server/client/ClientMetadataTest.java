package dev.sluice.server.client;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientMetadataTest {

    @Test
    void userAgentIsDriverNameVersionAndAppName() {
        ClientMetadata m = ClientMetadata.from(BsonDocument.parse(
                "{hello: 1, client: {driver: {name: 'mongo-java-driver|sync', version: '5.2.1'}, application: {name: 'myApp'}}}"));
        assertThat(m.userAgent()).isEqualTo("mongo-java-driver|sync/5.2.1 myApp");
        assertThat(m.driver()).isEqualTo("mongo-java-driver|sync/5.2.1");
        assertThat(m.appName()).isEqualTo("myApp");
    }

    @Test
    void missingOrMalformedMetadataIsLeftEmpty() {
        assertThat(ClientMetadata.from(BsonDocument.parse("{hello: 1}")).userAgent()).isNull();
        assertThat(ClientMetadata.from(BsonDocument.parse("{hello: 1, client: 'x'}")).userAgent()).isNull();
        assertThat(ClientMetadata.from(BsonDocument.parse("{hello: 1, client: {driver: {name: 3}}}")).userAgent()).isNull();
        assertThat(ClientMetadata.from(BsonDocument.parse("{hello: 1, client: {application: {name: 'a'}}}")).userAgent()).isEqualTo("a");
    }
}
