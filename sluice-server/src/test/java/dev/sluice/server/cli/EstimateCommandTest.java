package dev.sluice.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class EstimateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new EstimateCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void streamingPooledClientsExceedAThreeThousandLimitAt143Clients() {
        int code = run("--nodes", "3", "--clients", "150", "--pool-size", "5", "--driver", "pooled",
                "--monitoring", "stream", "--limit", "3000");

        assertThat(code).isZero();
        String text = out.toString();
        assertThat(text).contains("per client:   21 connections = (5 pool + 2 monitoring) x 3 nodes")
                .contains("150 clients:  3,150 connections")
                .contains("limit 3,000:  EXCEEDED by 150")
                .contains("reached at 143 clients")
                .contains("Through Sluice")
                .contains("cluster sees: 306 connections = (100 pool + 2 monitoring) x 3 nodes");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void pollingMonitoringCostsOneConnectionPerNodeLess() {
        run("--nodes", "3", "--clients", "150", "--pool-size", "5", "--driver", "pooled", "--monitoring", "poll",
                "--limit", "3000");
        assertThat(out.toString()).contains("per client:   18 connections = (5 pool + 1 monitoring) x 3 nodes")
                .contains("2,700 connections")
                .contains("limit 3,000:  within, 90% of the limit; the limit is reached at 167 clients");
    }

    @Test
    void aSingleThreadedDriverUsesOneConnectionPerNode() {
        run("--nodes", "5", "--clients", "40", "--pool-size", "50", "--driver", "single", "--monitoring", "stream");
        assertThat(out.toString()).contains("per client:   5 connections = 1 connection (single-threaded driver) x 5 nodes")
                .contains("40 clients:   200 connections")
                .doesNotContain("limit");
    }

    @Test
    void jsonCarriesTheSameFigures() throws Exception {
        int code = run("--nodes", "3", "--clients", "150", "--pool-size", "5", "--monitoring", "stream",
                "--limit", "3000", "--sluice-pool-size", "20", "--json");

        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("perClient").asInt()).isEqualTo(21);
        assertThat(json.get("total").asLong()).isEqualTo(3150);
        assertThat(json.get("limit").asLong()).isEqualTo(3000);
        assertThat(json.get("limitExceeded").asBoolean()).isTrue();
        assertThat(json.get("limitReachedAtClients").asLong()).isEqualTo(143);
        assertThat(json.get("driver").asText()).isEqualTo("pooled");
        assertThat(json.get("throughSluice").get("total").asLong()).isEqualTo(66);
        assertThat(json.get("throughSluice").get("perNode").asInt()).isEqualTo(22);
        assertThat(json.get("throughSluice").get("limitExceeded").asBoolean()).isFalse();
        assertThat(json.get("throughSluice").get("clientConnectionsToSluice").asLong()).isEqualTo(1050);
    }

    @Test
    void severalSluiceInstancesMultiplyWhatTheClusterSees() {
        run("--nodes", "3", "--clients", "10", "--sluice-pool-size", "10", "--sluice-monitoring", "poll",
                "--sluice-instances", "2");
        assertThat(out.toString()).contains("cluster sees: 66 connections = (10 pool + 1 monitoring) x 3 nodes x 2 instances");
    }

    @Test
    void aNegativeCountIsAUsageErrorNamingTheOption() {
        assertThat(run("--nodes", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--nodes': -1 (expected: >= 1)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aZeroPoolSizeIsAUsageError() {
        assertThat(run("--pool-size", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("'--pool-size': 0 (expected: >= 1)");
    }

    @Test
    void anUnknownDriverIsAUsageErrorListingTheChoices() {
        assertThat(run("--driver", "async")).isEqualTo(2);
        assertThat(err.toString()).contains("--driver").contains("expected one of [pooled, single] but was 'async'");
    }

    @Test
    void anUnknownMonitoringModeIsAUsageError() {
        assertThat(run("--monitoring", "auto")).isEqualTo(2);
        assertThat(err.toString()).contains("--monitoring").contains("[poll, stream]");
    }

    @Test
    void aNonNumericCountIsAUsageError() {
        assertThat(run("--clients", "many")).isEqualTo(2);
        assertThat(err.toString()).contains("--clients");
    }

    @Test
    void calculatorMatchesTheDocumentedArithmetic() {
        EstimateInput in = new EstimateInput(3, 1, 0 + 1, DriverKind.POOLED, MonitoringMode.STREAM, 0, 100,
                MonitoringMode.STREAM, 1);
        assertThat(EstimateCalculator.estimate(in).perClient()).isEqualTo(9);
    }

    @Test
    void onTheLoadBalancedPortEachClientOpensItsPoolOnlyNoMonitoringConnections() throws Exception {
        assertThat(run("--nodes", "3", "--clients", "150", "--pool-size", "5", "--monitoring", "stream",
                "--sluice-face", "load-balanced", "--sluice-instances", "3", "--json")).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(json.get("throughSluice").get("clientConnectionsToSluice").asLong()).isEqualTo(750);
        assertThat(json.get("throughSluice").get("face").asText()).isEqualTo("load-balanced");
        assertThat(json.get("throughSluice").get("total").asLong()).isEqualTo(918);
    }

    @Test
    void anUnknownSluiceFaceIsAUsageError() {
        assertThat(run("--sluice-face", "balanced")).isEqualTo(2);
        assertThat(err.toString()).contains("--sluice-face").contains("[router, load-balanced]");
    }
}
