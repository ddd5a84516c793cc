package dev.sluice.server.topology;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The server selection unit tests of the MongoDB specifications (server-selection/{server_selection,rtt,in_window}),
 * one dynamic test per JSON file, read from {@code sluice.spec.dir} at test time.
 */
class ServerSelectionSpecTest {

    private static final ServerSelector SELECTOR = new ServerSelector(SelectionSettings.defaults());

    @TestFactory
    Stream<DynamicTest> serverSelection() throws IOException {
        Path root = SpecDirectory.resolve().resolve("server-selection");
        if (!Files.isDirectory(root)) {
            String why = "server selection spec tests not found at " + root + " (set -Dsluice.spec.dir to the spec checkout)";
            return Stream.of(DynamicTest.dynamicTest("spec data absent", () -> Assumptions.abort(why)));
        }
        List<DynamicTest> tests = new ArrayList<>();
        add(tests, root, "server_selection", ServerSelectionSpecTest::selection);
        add(tests, root, "rtt", ServerSelectionSpecTest::rtt);
        add(tests, root, "in_window", ServerSelectionSpecTest::inWindow);
        return tests.stream();
    }

    private interface Case {
        void run(BsonDocument test);
    }

    private static void add(List<DynamicTest> tests, Path root, String folder, Case runner) throws IOException {
        Path dir = root.resolve(folder);
        if (!Files.isDirectory(dir)) {
            tests.add(DynamicTest.dynamicTest(folder + ": folder absent",
                    () -> Assumptions.abort("no " + folder + " folder in the spec data at " + root)));
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            BsonDocument test = BsonDocument.parse(Files.readString(file));
            String name = folder + "/" + dir.relativize(file).toString().replace('\\', '/')
                    + (test.containsKey("description") ? ": " + test.getString("description").getValue() : "");
            tests.add(DynamicTest.dynamicTest(name, file.toUri(), () -> runner.run(test)));
        }
    }

    private static void selection(BsonDocument test) {
        TopologyDescription topology = topology(test.getDocument("topology_description"));
        OperationKind kind = test.getString("operation").getValue().equals("write") ? OperationKind.WRITE
                : OperationKind.READ;
        ReadPreference rp = ReadPreference.parse(driverReadPreference(test.getDocument("read_preference")));
        Set<ServerAddress> deprioritized = addresses(test.getArray("deprioritized_servers", new BsonArray()));

        List<ServerDescription> suitable = SELECTOR.suitableServers(topology, kind, rp, deprioritized);
        assertThat(addresses(suitable)).as("suitable_servers")
                .isEqualTo(addresses(test.getArray("suitable_servers")));
        List<ServerDescription> window = SELECTOR.inLatencyWindow(suitable);
        Set<ServerAddress> expectedWindow = addresses(test.getArray("in_latency_window"));
        assertThat(addresses(window)).as("in_latency_window").isEqualTo(expectedWindow);

        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            var chosen = SELECTOR.select(topology, kind, rp, deprioritized, a -> 0, random);
            if (expectedWindow.isEmpty()) {
                assertThat(chosen).as("selected").isEmpty();
            } else {
                assertThat(chosen).as("selected").isPresent();
                assertThat(expectedWindow).as("selected").contains(chosen.get().address());
            }
        }
    }

    private static void rtt(BsonDocument test) {
        BsonValue previous = test.get("avg_rtt_ms");
        double sample = test.getNumber("new_rtt_ms").doubleValue();
        double expected = test.getNumber("new_avg_rtt").doubleValue();
        OptionalDouble before = previous.isString() && previous.asString().getValue().equals("NULL")
                ? OptionalDouble.empty() : OptionalDouble.of(previous.asNumber().doubleValue());
        assertThat(RoundTripTime.average(before, sample)).as("EWMA").isCloseTo(expected, within(1e-9));

        // the same through the topology: a server's average after its hello checks
        ServerAddress a = ServerAddress.parse("a:27017");
        Topology topology = new Topology(TopologySettings.discover(List.of(a)), TopologyListener.NOOP, () -> 0L);
        topology.open();
        BsonDocument standalone = BsonDocument.parse("{ok: 1, isWritablePrimary: true, maxWireVersion: 21}");
        if (before.isPresent()) {
            topology.onHello(a, standalone, before.getAsDouble());
        }
        topology.onHello(a, standalone, sample);
        assertThat(topology.description().server(a).averageRttMillis().getAsDouble()).as("topology's average")
                .isCloseTo(expected, within(1e-9));
    }

    private static void inWindow(BsonDocument test) {
        TopologyDescription topology = topology(test.getDocument("topology_description"));
        Map<ServerAddress, Integer> counts = new HashMap<>();
        for (BsonValue m : test.getArray("mocked_topology_state")) {
            counts.put(ServerAddress.parse(m.asDocument().getString("address").getValue()),
                    m.asDocument().getNumber("operation_count").intValue());
        }
        int iterations = test.getNumber("iterations").intValue();
        Random random = new Random(20_240_601L);
        Map<ServerAddress, Integer> tally = new HashMap<>();
        ReadPreference nearest = ReadPreference.of(ReadPreferenceMode.NEAREST);
        for (int i = 0; i < iterations; i++) {
            ServerDescription chosen = SELECTOR.select(topology, OperationKind.READ, nearest, Set.of(),
                    a -> counts.getOrDefault(a, 0), random).orElseThrow();
            tally.merge(chosen.address(), 1, Integer::sum);
        }
        BsonDocument outcome = test.getDocument("outcome");
        double tolerance = outcome.getNumber("tolerance").doubleValue();
        for (Map.Entry<String, BsonValue> e : outcome.getDocument("expected_frequencies").entrySet()) {
            double expected = e.getValue().asNumber().doubleValue();
            double observed = tally.getOrDefault(ServerAddress.parse(e.getKey()), 0) / (double) iterations;
            if (expected == 0 || expected == 1) {
                assertThat(observed).as("frequency of " + e.getKey()).isEqualTo(expected);
            } else {
                assertThat(observed).as("frequency of " + e.getKey()).isCloseTo(expected, within(tolerance));
            }
        }
    }

    /** The test's read preference in the form a driver sends as {@code $readPreference}. */
    private static BsonDocument driverReadPreference(BsonDocument spec) {
        BsonDocument doc = new BsonDocument();
        if (spec.containsKey("mode")) {
            String mode = spec.getString("mode").getValue();
            doc.append("mode", new BsonString(Character.toLowerCase(mode.charAt(0)) + mode.substring(1)));
        }
        if (spec.containsKey("tag_sets")) {
            doc.append("tags", spec.get("tag_sets"));
        }
        if (spec.containsKey("maxStalenessSeconds")) {
            doc.append("maxStalenessSeconds", spec.get("maxStalenessSeconds"));
        }
        return doc;
    }

    private static TopologyDescription topology(BsonDocument spec) {
        Map<ServerAddress, ServerDescription> servers = new LinkedHashMap<>();
        for (BsonValue v : spec.getArray("servers")) {
            ServerDescription s = server(v.asDocument());
            servers.put(s.address(), s);
        }
        return new TopologyDescription(TopologyType.fromSpecName(spec.getString("type").getValue()), null, null, null,
                servers, true, null, null);
    }

    private static ServerDescription server(BsonDocument spec) {
        ServerAddress address = ServerAddress.parse(spec.getString("address").getValue());
        Map<String, String> tags = new LinkedHashMap<>();
        spec.getDocument("tags", new BsonDocument()).forEach((k, v) -> tags.put(k, v.asString().getValue()));
        ServerType type = ServerType.fromSpecName(spec.getString("type").getValue());
        OptionalDouble rtt = spec.containsKey("avg_rtt_ms")
                ? OptionalDouble.of(spec.getNumber("avg_rtt_ms").doubleValue()) : OptionalDouble.empty();
        return new ServerDescription(address, type, null, rtt, 0, null, 0, WireVersions.MAX, null, null, null, null,
                tags, null, null, null, null, null, null);
    }

    private static Set<ServerAddress> addresses(BsonArray servers) {
        return servers.stream().map(v -> ServerAddress.parse(v.asDocument().getString("address").getValue()))
                .collect(Collectors.toSet());
    }

    private static Set<ServerAddress> addresses(List<ServerDescription> servers) {
        return servers.stream().map(ServerDescription::address).collect(Collectors.toSet());
    }
}
