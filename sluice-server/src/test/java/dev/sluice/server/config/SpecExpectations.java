package dev.sluice.server.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks shared by the connection-string and URI-options runners (their JSON formats are the same). */
final class SpecExpectations {

    private SpecExpectations() {
    }

    /** Checks valid/invalid, warning, hosts, auth and options as the case states them (null fields are not checked). */
    static void check(JsonNode t) {
        String uri = t.path("uri").asText();
        if (!t.path("valid").asBoolean()) {
            assertThatThrownBy(() -> ConnectionString.parse(uri)).as(uri).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("connection string: ");
            return;
        }
        ConnectionString cs = ConnectionString.parse(uri);
        if (t.path("warning").isBoolean()) {
            if (t.path("warning").asBoolean()) {
                assertThat(cs.warnings()).as("warnings of %s", uri).isNotEmpty();
            } else {
                assertThat(cs.warnings()).as("warnings of %s", uri).isEmpty();
            }
        }
        JsonNode hosts = t.path("hosts");
        if (hosts.isArray()) {
            List<String> expected = new ArrayList<>();
            for (JsonNode h : hosts) {
                expected.add(h.path("type").asText() + " " + h.path("host").asText() + " "
                        + (h.path("port").isNull() ? "null" : h.path("port").asInt()));
            }
            List<String> actual = new ArrayList<>();
            for (UriHost h : cs.hosts()) {
                actual.add(h.type().specName() + " " + h.host() + " " + h.port());
            }
            assertThat(actual).as("hosts of %s", uri).isEqualTo(expected);
        }
        JsonNode auth = t.path("auth");
        if (auth.isObject()) {
            assertThat(cs.username()).as("username").isEqualTo(text(auth.path("username")));
            assertThat(cs.password()).as("password").isEqualTo(text(auth.path("password")));
            assertThat(cs.database()).as("db").isEqualTo(text(auth.path("db")));
        }
        JsonNode options = t.path("options");
        if (options.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = options.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                assertThat(UriOption.byKey(f.getKey())).as("option %s is known", f.getKey()).isNotNull();
                Object actual = cs.options().get(f.getKey());
                if (f.getValue().isIntegralNumber()) {
                    assertThat(actual).as("option %s of %s", f.getKey(), uri).isInstanceOf(Number.class);
                    assertThat(((Number) actual).longValue()).as("option %s of %s", f.getKey(), uri)
                            .isEqualTo(f.getValue().asLong());
                } else {
                    assertThat(actual).as("option %s of %s", f.getKey(), uri).isEqualTo(value(f.getValue()));
                }
            }
        }
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    /** The Java value UriOptions holds for this JSON value. */
    static Object value(JsonNode n) {
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isInt()) {
            return n.asInt();
        }
        if (n.isLong()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>();
            n.forEach(e -> list.add(value(e)));
            return list;
        }
        if (n.isObject()) {
            return stringMap(n);
        }
        return null;
    }

    static Map<String, String> stringMap(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }
}
