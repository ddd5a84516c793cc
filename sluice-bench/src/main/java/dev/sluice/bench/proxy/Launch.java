package dev.sluice.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Starts the proxies under test as child JVMs, and reads Sluice's HTTP API. */
final class Launch {
    static final Pattern SLUICE_READY = Pattern.compile("sluice ready mongodb://([^:/]+):(\\d+)/ http://([^:/]+):(\\d+)/");
    static final Pattern RELAY_READY = Pattern.compile("relay ready ([^:\\s]+):(\\d+)");
    /** The JVM options {@code ./sluice} starts Sluice with when {@code SLUICE_JAVA_OPTS} is not set. */
    static final String SLUICE_JVM_OPTS = "-XX:+UseSerialGC -Xss512k -Xmn32m";
    private static final long READY_TIMEOUT_MILLIS = 60_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Launch() {
    }

    /** A running Sluice: its process, mongodb address and HTTP base URL. */
    record Sluice(ChildProcess process, InetSocketAddress mongo, String http) implements AutoCloseable {
        String get(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(http + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        }

        @Override
        public void close() {
            process.close();
        }
    }

    static Sluice sluice(Path jar, String upstreamUri, List<String> jvmOptions, Path log)
            throws IOException, InterruptedException {
        return sluice(jar, upstreamUri, List.of(), jvmOptions, log);
    }

    /**
     * A Sluice with {@code serveArgs} added to its {@code serve} command line (TLS, --auth...); with a null
     * {@code upstreamUri} it runs its embedded in-memory backend.
     */
    static Sluice sluice(Path jar, String upstreamUri, List<String> serveArgs, List<String> jvmOptions, Path log)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("Sluice's fat jar is missing: " + jar.toAbsolutePath()
                    + " (build it: ./mvnw -B -q -DskipTests install, or pass --sluice-jar)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcess.java());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"));
        if (upstreamUri != null) {
            cmd.addAll(List.of("--upstream", upstreamUri));
        }
        cmd.addAll(serveArgs);
        ChildProcess p = ChildProcess.start("sluice", cmd, SLUICE_READY, log, READY_TIMEOUT_MILLIS);
        return new Sluice(p, new InetSocketAddress(p.group(1), Integer.parseInt(p.group(2))),
                "http://" + p.group(3) + ":" + p.group(4));
    }

    /** The TcpRelay in its own JVM, started from this JVM's class path. */
    static ChildProcess relay(InetSocketAddress upstream, List<String> jvmOptions, Path log)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcess.java());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TcpRelay.class.getName(),
                "--listen", "127.0.0.1:0", "--upstream", upstream.getHostString() + ":" + upstream.getPort()));
        return ChildProcess.start("relay", cmd, RELAY_READY, log, READY_TIMEOUT_MILLIS);
    }

    static final Pattern FLOOR_READY = Pattern.compile("floor ready ([^:\\s]+):(\\d+)");

    /** {@link IdleFloor} in its own JVM, started from this JVM's class path. */
    static ChildProcess floor(List<String> jvmOptions, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcess.java());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), IdleFloor.class.getName(),
                "--listen", "127.0.0.1:0"));
        return ChildProcess.start("floor", cmd, FLOOR_READY, log, READY_TIMEOUT_MILLIS);
    }

    /** The address a relay printed in its ready line. */
    static InetSocketAddress hostPort(ChildProcess relay) {
        return new InetSocketAddress(relay.group(1), Integer.parseInt(relay.group(2)));
    }

    /** A number field of a flat JSON text ({@code "name":123}), or -1. */
    static long jsonNumber(String json, String name) {
        java.util.regex.Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
