package dev.sluice.bench.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM started by a benchmark (Sluice, the relay): waits for its ready line on stdout, sends its
 * stderr to a log file, and is stopped (SIGTERM, then SIGKILL after 10 s) on close or when the
 * benchmark's JVM exits.
 */
final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Matcher ready;

    private ChildProcess(String name, Process process, Matcher ready) {
        this.name = name;
        this.process = process;
        this.ready = ready;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Splits JVM options given as one string. */
    static List<String> options(String s) {
        List<String> out = new ArrayList<>();
        for (String o : s.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                out.add(o);
            }
        }
        return out;
    }

    static ChildProcess start(String name, List<String> command, Pattern readyLine, Path log, long timeoutMillis)
            throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        CompletableFuture<Matcher> found = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = readyLine.matcher(line);
                    if (!found.isDone() && m.find()) {
                        found.complete(m);
                    }
                }
            } catch (IOException e) {
                found.completeExceptionally(e);
            }
            found.completeExceptionally(new IOException(name + " exited before its ready line; see " + log));
        }, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ChildProcess(name, p, found.get(timeoutMillis, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IOException(name + " did not print its ready line within " + timeoutMillis + " ms; see " + log, e);
        }
    }

    /**
     * For a program with no ready line of its own (HAProxy): its stdout and stderr go to the log, and it is ready
     * once {@code address} accepts a TCP connection.
     */
    static ChildProcess startListening(String name, List<String> command, Path log, java.net.InetSocketAddress address,
                                       long timeoutMillis) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException(name + " exited with status " + p.exitValue() + " before listening; see " + log);
            }
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(address, 1000);
                return new ChildProcess(name, p, null);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException(name + " did not listen on " + address + " within " + timeoutMillis + " ms; see " + log);
    }

    /** A group of the ready line's pattern. */
    String group(int i) {
        return ready.group(i);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                System.err.println("[bench] " + name + " ignored SIGTERM for 10 s; killing it");
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
