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

    @Test
    void theInPlaceCheckGivesTheSameSizeAndTypeAnswersAsTheDocumentOne() {
        String big = "x".repeat(600);
        String[] hellos = {"{hello: 1}", "{hello: 1, client: 'x'}", "{hello: 1, a: 1, client: 5, b: 2}",
                "{hello: 1, client: {driver: {name: 'd', version: '1'}}}",
                "{hello: 1, pad: '" + big + "', client: {driver: {name: 'd'}}}",
                "{hello: 1, client: {application: {name: '" + big + "'}}, z: 1}",
                "{hello: 1, clientx: {a: '" + big + "'}, client: {}}"};
        for (String json : hellos) {
            org.bson.RawBsonDocument raw = new org.bson.RawBsonDocument(BsonDocument.parse(json),
                    new org.bson.codecs.BsonDocumentCodec());
            ClientMetadataCheck.Refusal expected = ClientMetadataCheck.check(raw);
            ClientMetadataCheck.Refusal inPlace = ClientMetadataCheck.checkInPlace(raw);
            if (expected != null && expected.code() == 184) { // the app name is not read in place
                assertThat(inPlace).as(json).isNull();
            } else {
                assertThat(inPlace).as(json).isEqualTo(expected);
            }
        }
        assertThat(ClientMetadataCheck.checkInPlace(new org.bson.RawBsonDocument(BsonDocument.parse(
                "{hello: 1, client: {application: {name: '" + big + "'}}}"), new org.bson.codecs.BsonDocumentCodec()))
                .code()).isEqualTo(185);
    }
}
