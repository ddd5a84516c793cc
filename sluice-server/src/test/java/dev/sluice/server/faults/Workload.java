package dev.sluice.server.faults;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded concurrent workload through Sluice with the real Java driver: {@code threads} threads
 * over {@code clients} MongoClients (appName {@code load-<n>}), each looping over a small mix of
 * operations until {@link #stop}. Every operation ends in a result or an exception; each outcome
 * is counted by kind (MongoCommandException by code, other MongoExceptions by class), anything
 * that is not a MongoException is "unexpected", and the longest operation is recorded, so a test
 * can assert that nothing hung and every error was a clean MongoDB error.
 */
final class Workload implements AutoCloseable {
    /** One operation of the mix; {@code i} counts the thread's operations. */
    interface Operation {
        void run(MongoClient client, MongoCollection<Document> collection, long i);
    }

    /** The default mix against a fake mongod: find, insert, a forwarded command. */
    static final Operation MIX = (client, collection, i) -> {
        switch ((int) (i % 3)) {
            case 0 -> collection.find().first();
            case 1 -> collection.insertOne(new Document("i", i));
            default -> client.getDatabase("test").runCommand(new Document("count", "c"));
        }
    };

    private final List<MongoClient> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, String> samples = new ConcurrentHashMap<>();
    private final AtomicLong lastSuccessNanos = new AtomicLong();
    private final long[] lastSuccessByThread;
    private final AtomicLong longestOpNanos = new AtomicLong();
    private final List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;

    /**
     * @param uri      Sluice's connection string, without options
     * @param options  driver options appended to it (timeouts)
     */
    Workload(String uri, String options, int clientCount, int threadCount, Operation operation) {
        for (int c = 0; c < clientCount; c++) {
            clients.add(MongoClients.create(uri + "?" + options + "&appName=load-" + c));
        }
        lastSuccessByThread = new long[threadCount];
        for (int t = 0; t < threadCount; t++) {
            int index = t;
            MongoClient client = clients.get(t % clientCount);
            Thread thread = new Thread(() -> loop(index, client, operation), "load-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void loop(int index, MongoClient client, Operation operation) {
        MongoCollection<Document> collection = client.getDatabase("test").getCollection("c");
        for (long i = 0; running; i++) {
            long start = System.nanoTime();
            String outcome;
            String message = null;
            try {
                operation.run(client, collection, i);
                outcome = "ok";
                long now = System.nanoTime();
                lastSuccessNanos.accumulateAndGet(now, Math::max);
                synchronized (lastSuccessByThread) {
                    lastSuccessByThread[index] = now;
                }
            } catch (MongoCommandException e) {
                outcome = "code " + e.getErrorCode() + " (" + e.getErrorCodeName() + ")";
                message = e.getErrorMessage();
            } catch (MongoException e) {
                outcome = e.getClass().getSimpleName();
                message = e.getMessage();
            } catch (Throwable t) {
                outcome = "unexpected " + t.getClass().getSimpleName();
                unexpected.add(t);
            }
            longestOpNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
            if (message != null) {
                samples.putIfAbsent(outcome, message);
            }
            if (!outcome.equals("ok")) {
                pause(20); // a failing client backs off a little, as applications do
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long successes() {
        LongAdder ok = outcomes.get("ok");
        return ok == null ? 0 : ok.sum();
    }

    long failures() {
        long n = 0;
        for (Map.Entry<String, LongAdder> e : outcomes.entrySet()) {
            if (!e.getKey().equals("ok")) {
                n += e.getValue().sum();
            }
        }
        return n;
    }

    /** True once every thread has succeeded at least once after {@code sinceNanos}. */
    boolean everyThreadSucceededSince(long sinceNanos) {
        synchronized (lastSuccessByThread) {
            for (long t : lastSuccessByThread) {
                if (t - sinceNanos <= 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Outcomes by kind ("ok", "code 89 (NetworkTimeout)", "MongoSocketReadException", ...). */
    Map<String, Long> outcomes() {
        Map<String, Long> copy = new TreeMap<>();
        outcomes.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** The first error message seen for each kind of failure. */
    Map<String, String> samples() {
        return new TreeMap<>(samples);
    }

    List<Throwable> unexpected() {
        return List.copyOf(unexpected);
    }

    long longestOperationMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longestOpNanos.get());
    }

    List<MongoClient> clients() {
        return clients;
    }

    /**
     * Stops the threads; returns the names of those still inside an operation after {@code graceMs}
     * (a hang), with their stacks.
     */
    List<String> stop(long graceMs) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
        List<String> stuck = new ArrayList<>();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                StringBuilder b = new StringBuilder(t.getName());
                for (StackTraceElement e : t.getStackTrace()) {
                    b.append("\n    at ").append(e);
                }
                stuck.add(b.toString());
            }
        }
        return stuck;
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            t.interrupt();
        }
        clients.forEach(MongoClient::close);
    }
}
