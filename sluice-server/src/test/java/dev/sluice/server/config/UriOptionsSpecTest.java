package dev.sluice.server.config;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/**
 * The URI Options spec tests (uri-options/*.json), one dynamic test per case, read at test time from
 * {@code sluice.spec.dir}: typed values, invalid values as warnings, and the combinations that are errors (TLS
 * conflicts, directConnection, loadBalanced, SRV-only and proxy options). SRV names are parsed, not resolved.
 */
class UriOptionsSpecTest {

    @TestFactory
    Stream<DynamicTest> uriOptions() throws IOException {
        return SpecCases.of("uri-options", SpecExpectations::check);
    }
}
