package dev.sluice.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Runs one CMAP test (cmap-format README) against a pool whose connections open at once, or as the test's fail point
 * on hello says ({@link HelloFailPoint}).
 */
final class CmapRunner {

    private static final Duration THREAD_TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, Class<? extends PoolException>> ERROR_TYPES = Map.of(
            "PoolClosedError", PoolClosedException.class,
            "PoolClearedError", PoolClearedException.class,
            "WaitQueueTimeoutError", WaitQueueTimeoutException.class);

    private final JsonNode test;
    private final CmapEventRecorder recorder = new CmapEventRecorder();
    private final Map<String, PooledConnection<Object>> labels = new ConcurrentHashMap<>();
    private final Map<String, SpecThread> threads = new ConcurrentHashMap<>();
    private ConnectionPool<Object> pool;

    CmapRunner(JsonNode test) {
        this.test = test;
    }

    void run() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        Throwable mainError = null;
        List<ObjectNode> events;
        try {
            pool = ConnectionPool.builder(new HelloFailPoint(test.path("failPoint"), scheduler))
                    .address("localhost:27017")
                    .settings(settings(test.path("poolOptions"))).listener(recorder).scheduler(scheduler).build();
            for (JsonNode op : test.path("operations")) {
                try {
                    execute(op);
                } catch (RuntimeException e) {
                    mainError = e;
                    break;
                }
            }
            events = recorder.snapshot();
        } finally {
            if (pool != null) {
                pool.close();
            }
            for (SpecThread t : threads.values()) {
                t.stop();
            }
            scheduler.shutdownNow();
        }
        checkError(mainError);
        checkEvents(events);
    }

    private static PoolSettings settings(JsonNode options) {
        PoolSettings.Builder b = PoolSettings.builder();
        options.fields().forEachRemaining(f -> {
            long v = f.getValue().asLong();
            switch (f.getKey()) {
                case "maxPoolSize" -> b.maxPoolSize((int) v);
                case "minPoolSize" -> b.minPoolSize((int) v);
                case "maxConnecting" -> b.maxConnecting((int) v);
                case "maxIdleTimeMS" -> b.maxIdleTimeMS(v);
                case "waitQueueTimeoutMS" -> b.waitQueueTimeoutMS(v);
                case "backgroundThreadIntervalMS" -> b.maintenanceIntervalMS(v);
                case "appName" -> { }
                default -> throw new IllegalArgumentException("unknown pool option " + f.getKey());
            }
        });
        return b.build();
    }

    private void execute(JsonNode op) throws RuntimeException {
        String threadName = op.path("thread").asText(null);
        if (threadName != null) {
            SpecThread thread = threads.get(threadName);
            assertThat(thread).as("thread %s was started", threadName).isNotNull();
            thread.schedule(() -> perform(op));
        } else {
            perform(op);
        }
    }

    private void perform(JsonNode op) {
        String name = op.path("name").asText();
        switch (name) {
            case "start" -> threads.put(op.path("target").asText(), new SpecThread(op.path("target").asText()));
            case "wait" -> pause(op.path("ms").asLong());
            case "waitForThread" -> waitForThread(op.path("target").asText());
            case "waitForEvent" -> waitForEvent(op.path("event").asText(), op.path("count").asInt(),
                    op.path("timeout").asLong(10_000));
            case "checkOut" -> {
                PooledConnection<Object> c = pool.checkOut();
                if (op.hasNonNull("label")) {
                    labels.put(op.path("label").asText(), c);
                }
            }
            case "checkIn" -> labels.get(op.path("connection").asText()).checkIn();
            case "clear" -> pool.clear(op.path("interruptInUseConnections").asBoolean(false));
            case "close" -> pool.close();
            case "ready" -> pool.ready();
            default -> throw new IllegalArgumentException("unknown operation " + name);
        }
    }

    /**
     * The spec's {@code wait} operation is a real pause of the thread (the tests measure idle time and ordering in
     * wall-clock time), so it cannot be replaced by waiting for a condition.
     */
    private static void pause(long ms) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        for (long left = ms; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(deadline - System.nanoTime());
            if (System.nanoTime() >= deadline) {
                return;
            }
        }
    }

    private void waitForThread(String target) {
        Throwable error;
        try {
            error = threads.get(target).finish(THREAD_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (error instanceof RuntimeException re) {
            throw re;
        }
        if (error != null) {
            throw new IllegalStateException(error);
        }
    }

    private void waitForEvent(String type, int count, long timeoutMs) {
        await().atMost(Duration.ofMillis(timeoutMs)).pollInterval(Duration.ofMillis(2))
                .until(() -> recorder.count(type) >= count);
    }

    private void checkError(Throwable actual) {
        JsonNode expected = test.get("error");
        if (expected == null) {
            if (actual != null) {
                fail("expected no error, got " + actual, actual);
            }
            return;
        }
        // matched on type: the messages are Sluice's own (they name the pool and its figures)
        Class<? extends PoolException> type = ERROR_TYPES.get(expected.path("type").asText());
        assertThat(type).as("known error type %s", expected.path("type")).isNotNull();
        assertThat(actual).as("error of the main thread").isInstanceOf(type);
    }

    private void checkEvents(List<ObjectNode> all) {
        Set<String> ignored = new HashSet<>();
        test.path("ignore").forEach(n -> ignored.add(n.asText()));
        List<ObjectNode> actual = new ArrayList<>();
        for (ObjectNode e : all) {
            if (!ignored.contains(e.get("type").asText())) {
                actual.add(e);
            }
        }
        JsonNode expected = test.path("events");
        for (int i = 0; i < expected.size(); i++) {
            assertThat(i).as("event %d of %s missing; actual events: %s", i, expected, actual).isLessThan(actual.size());
            String mismatch = JsonMatcher.mismatch(expected.get(i), actual.get(i), "events[" + i + "]");
            if (mismatch != null) {
                fail(mismatch + "\nexpected: " + expected + "\nactual:   " + actual);
            }
        }
    }
}
