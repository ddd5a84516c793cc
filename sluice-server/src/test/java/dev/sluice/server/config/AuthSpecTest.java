package dev.sluice.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Authentication spec's connection-string tests (auth/legacy/*.json), one dynamic test per case: which URIs make
 * a credential, with which user, password, source database, mechanism and mechanism properties, and which are
 * invalid for their mechanism.
 */
class AuthSpecTest {

    /**
     * Upstream left two MONGODB-AWS cases from before DRIVERS-3131 in the file: the Authentication spec (changelog
     * 2025-09-30) now says credentials in the URI MUST raise an error, as the same file's newer cases
     * "should throw an exception if username and password provided (MONGODB-AWS)" and "... if AWS_SESSION_TOKEN
     * provided (MONGODB-AWS)" expect. Sluice follows the spec text; the stale cases cannot both pass with the new ones.
     */
    private static final String STALE_AWS = "stale upstream case contradicting the auth spec of 2025-09-30 (DRIVERS-3131:"
            + " MONGODB-AWS credentials in the URI MUST raise an error) and this file's newer MONGODB-AWS cases";

    private static final Map<String, String> SKIPS = Map.of(
            "connection-string.json: should use username and password if specified (MONGODB-AWS)", STALE_AWS,
            "connection-string.json: should use username, password and session token if specified (MONGODB-AWS)",
            STALE_AWS);

    @TestFactory
    Stream<DynamicTest> authLegacy() throws IOException {
        return SpecCases.of("auth/legacy", SKIPS, AuthSpecTest::check);
    }

    private static void check(JsonNode t) {
        String uri = t.path("uri").asText();
        if (!t.path("valid").asBoolean()) {
            assertThatThrownBy(() -> ConnectionString.parse(uri)).as(uri).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("connection string: ");
            return;
        }
        UriCredential credential = ConnectionString.parse(uri).credential();
        JsonNode expected = t.path("credential");
        if (expected.isNull() || expected.isMissingNode()) {
            assertThat(credential).as("credential of %s", uri).isNull();
            return;
        }
        assertThat(credential).as("credential of %s", uri).isNotNull();
        assertThat(credential.username()).as("username").isEqualTo(SpecExpectations.text(expected.path("username")));
        assertThat(credential.password()).as("password").isEqualTo(SpecExpectations.text(expected.path("password")));
        assertThat(credential.source()).as("source").isEqualTo(SpecExpectations.text(expected.path("source")));
        assertThat(credential.mechanism() == null ? null : credential.mechanism().mechanismName()).as("mechanism")
                .isEqualTo(SpecExpectations.text(expected.path("mechanism")));
        JsonNode properties = expected.path("mechanism_properties");
        Map<String, String> expectedProperties = properties.isObject() ? SpecExpectations.stringMap(properties) : Map.of();
        assertThat(credential.properties()).as("mechanism_properties").isEqualTo(expectedProperties);
    }
}
