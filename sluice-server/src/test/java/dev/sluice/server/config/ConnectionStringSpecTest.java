package dev.sluice.server.config;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/**
 * The Connection String spec tests (connection-string/*.json), one dynamic test per case, read at test time from
 * {@code sluice.spec.dir}: valid and invalid URIs, warnings, host types, percent-decoded userinfo and auth database,
 * and option values.
 */
class ConnectionStringSpecTest {

    @TestFactory
    Stream<DynamicTest> connectionString() throws IOException {
        return SpecCases.of("connection-string", SpecExpectations::check);
    }
}
