package dev.sluice.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sluice's fat jar as a child process, and the probes a soak samples it with: heap after a full GC
 * (jcmd GC.run, then GC.heap_info), threads and open files (/proc), pool figures and registry size
 * (the HTTP API).
 */
final class SluiceProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("sluice ready (mongodb://\\S+/) (http://\\S+/)");
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final Process process;
    private final String mongoUri;
    private final String httpUri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private SluiceProcess(Process process, String mongoUri, String httpUri) {
        this.process = process;
        this.mongoUri = mongoUri;
        this.httpUri = httpUri;
    }

    /** Starts {@code java [jvmArgs] -jar jar serve ...} and waits (up to 60 s) for its ready line. */
    static SluiceProcess start(Path jar, List<String> jvmArgs, String upstream, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(), "serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"));
        if (upstream != null) {
            command.add("--upstream");
            command.add(upstream);
        }
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                return new SluiceProcess(p, m.group(1), m.group(2));
            }
        }
        p.destroyForcibly();
        throw new IOException("Sluice did not print its ready line within 60 s; see " + log);
    }

    long pid() {
        return process.pid();
    }

    String mongoUri() {
        return mongoUri;
    }

    String httpUri() {
        return httpUri;
    }

    /**
     * Live heap after a full GC, in KiB: the old generation's "used" right after jcmd GC.run (with the
     * serial or parallel collector a full GC leaves the live set there; the young generation is
     * skipped because the load refills it between the two jcmd calls). Other collectors: the sum of
     * what heap_info reports as used. -1 when jcmd fails.
     */
    long heapAfterGcKiB() {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        long sum = 0;
        boolean any = false;
        for (String line : info.split("\n")) {
            String t = line.trim();
            Matcher m = USED.matcher(t);
            if (!m.find()) {
                continue;
            }
            if (t.startsWith("tenured generation") || t.startsWith("ParOldGen") || t.startsWith("PSOldGen")) {
                return Long.parseLong(m.group(1));
            }
            if (t.startsWith("garbage-first heap") || t.startsWith("ZHeap") || t.startsWith("Shenandoah")) {
                sum += Long.parseLong(m.group(1));
                any = true;
            }
        }
        return any ? sum : -1;
    }

    /** Metaspace in use, KiB, from the same heap_info (call after {@link #heapAfterGcKiB}). */
    long metaspaceKiB() {
        for (String line : jcmd("GC.heap_info").split("\n")) {
            if (line.trim().startsWith("Metaspace")) {
                Matcher m = USED.matcher(line);
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
        }
        return -1;
    }

    private String jcmd(String what) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), what).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** A field of /proc/PID/status (e.g. "Threads", "VmRSS"), as a number (kB for sizes), or -1. */
    long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Open file descriptors (entries of /proc/PID/fd), or -1. */
    long openFds() {
        try (var s = Files.list(Path.of("/proc", String.valueOf(pid()), "fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(httpUri + path.substring(1)))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: Sluice's graceful shutdown
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
