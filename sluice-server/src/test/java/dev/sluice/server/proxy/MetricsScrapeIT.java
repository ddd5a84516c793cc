package dev.sluice.server.proxy;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.metrics.LatencyBuckets;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real driver does a few operations through Sluice, then /metrics is scraped: per-command latency histograms
 * (unknown command names as "other"), error replies by code and source, the JVM and process series; every
 * histogram has at most {@link LatencyBuckets#COUNT} + 1 buckets per series; HEAD /metrics answers the headers
 * alone.
 */
class MetricsScrapeIT {
    private static final Pattern BUCKET = Pattern.compile("^(\\w+)_bucket\\{(.*?),?le=\"[^\"]+\",?(.*?)} ",
            Pattern.MULTILINE);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void commandLatencyErrorsAndJvmSeriesAreScrapedWithBoundedBuckets() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient client = MongoClients.create(sluice.uri("appName=metricsScrape"))) {
            MongoCollection<Document> items = client.getDatabase("test").getCollection("items");
            items.insertOne(new Document("_id", 1));
            assertThat(items.find().first()).isNotNull();
            assertThatThrownBy(() -> client.getDatabase("test").runCommand(new Document("noSuchCommandAtAll", 1)))
                    .isInstanceOf(MongoCommandException.class);
            assertThatThrownBy(() -> client.getDatabase("admin").runCommand(
                    new Document("authenticate", 1).append("mechanism", "MONGODB-X509")))
                    .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getCode()).isEqualTo(334));

            String metrics = get(sluice, "/metrics").body();
            assertThat(metrics).contains(
                    "sluice_command_latency_seconds_count{command=\"insert\"} 1",
                    "sluice_command_latency_seconds_count{command=\"find\"} 1",
                    "sluice_command_latency_seconds_bucket{command=\"find\",le=\"+Inf\"} 1",
                    "sluice_command_latency_seconds_count{command=\"other\"} 1",
                    "sluice_command_errors_total{code=\"334\",source=\"sluice\"} 1.0",
                    "source=\"upstream\"",
                    "jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads", "process_cpu_usage",
                    "system_cpu_count", "process_uptime_seconds", "process_files_open_files");
            assertThat(metrics).doesNotContain("noSuchCommandAtAll");

            Map<String, Integer> buckets = bucketsPerSeries(metrics);
            assertThat(buckets).containsKey("sluice_backend_checkout_wait_seconds{host=\"" + backendHost(metrics)
                    + "\"}");
            assertThat(buckets).allSatisfy((series, count) ->
                    assertThat(count).as(series).isLessThanOrEqualTo(LatencyBuckets.COUNT + 1));

            HttpResponse<String> head = http.send(request(sluice, "/metrics")
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            assertThat(head.headers().firstValueAsLong("Content-Length").orElseThrow()).isPositive();
        }
    }

    private static String backendHost(String metrics) {
        Matcher m = Pattern.compile("sluice_backend_checkout_wait_seconds_count\\{host=\"([^\"]+)\"}").matcher(metrics);
        assertThat(m.find()).as("a checkout wait series").isTrue();
        return m.group(1);
    }

    /** Buckets of each histogram series: name{other labels} to its number of le values. */
    private static Map<String, Integer> bucketsPerSeries(String metrics) {
        Map<String, Integer> counts = new TreeMap<>();
        Matcher m = BUCKET.matcher(metrics);
        while (m.find()) {
            String labels = m.group(2) + (m.group(2).isEmpty() || m.group(3).isEmpty() ? "" : ",") + m.group(3);
            counts.merge(m.group(1) + "{" + labels + "}", 1, Integer::sum);
        }
        return counts;
    }

    private HttpRequest.Builder request(SluiceHarness sluice, String path) {
        var a = sluice.server().httpAddress();
        return HttpRequest.newBuilder(URI.create("http://" + a.getHostString() + ":" + a.getPort() + path));
    }

    private HttpResponse<String> get(SluiceHarness sluice, String path) throws Exception {
        HttpResponse<String> response = http.send(request(sluice, path).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response;
    }
}
