package dev.sluice.bench.faults;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The replica-set bench's load, keeping a ledger of what the clients were told: each thread loops over an insert of
 * a unique {@code _id} ("t-i"), a read of one of its acknowledged ids (which must be found), and a {@code $inc} of
 * its own counter document. Acknowledged ids, acknowledged and failed increments are recorded, so that after the run
 * lost writes (acknowledged, missing) and duplicated writes (a counter above acknowledged + failed increments, or a
 * duplicate-key error on a unique id) can be counted. Every operation is timed (the longest, the longest gap between
 * two successful writes) and counted per second for throughput.
 */
final class LedgerLoad implements AutoCloseable {
    static final String DB = "bench";
    static final String ITEMS = "items";
    static final String COUNTERS = "counters";
    private static final int MAX_SECONDS = 600;

    private final List<MongoClient> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, String> samples = new ConcurrentHashMap<>();
    private final Set<String> acknowledgedIds = ConcurrentHashMap.newKeySet();
    private final long[] incAcknowledged;
    private final long[] incFailed;
    private final AtomicLong readsMissing = new AtomicLong();
    private final AtomicLong duplicateKeyErrors = new AtomicLong();
    private final AtomicLong longestNanos = new AtomicLong();
    private volatile String longestDescription = "";
    private final AtomicLong lastWriteNanos = new AtomicLong();
    private final AtomicLong longestWriteGapNanos = new AtomicLong();
    private final AtomicLongArray okPerSecond = new AtomicLongArray(MAX_SECONDS);
    private final long startNanos = System.nanoTime();
    private volatile boolean running = true;

    LedgerLoad(String uri, String options, int clientCount, int threadCount) {
        for (int c = 0; c < clientCount; c++) {
            clients.add(MongoClients.create(uri + "?" + options + "&appName=load-" + c));
        }
        incAcknowledged = new long[threadCount];
        incFailed = new long[threadCount];
        lastWriteNanos.set(System.nanoTime());
        for (int t = 0; t < threadCount; t++) {
            int id = t;
            MongoClient client = clients.get(t % clientCount);
            Thread thread = new Thread(() -> loop(id, client), "load-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void loop(int id, MongoClient client) {
        MongoCollection<Document> items = client.getDatabase(DB).getCollection(ITEMS);
        MongoCollection<Document> counters = client.getDatabase(DB).getCollection(COUNTERS);
        long lastAcked = -1;
        for (long i = 0; running; i++) {
            long start = System.nanoTime();
            int kind = (int) (i % 3);
            String outcome;
            String message = null;
            try {
                switch (kind) {
                    case 0 -> {
                        String key = id + "-" + i;
                        items.insertOne(new Document("_id", key).append("t", id).append("pad", "x".repeat(100)));
                        acknowledgedIds.add(key);
                        lastAcked = i;
                        wrote();
                    }
                    case 1 -> {
                        if (lastAcked >= 0 && items.find(Filters.eq("_id", id + "-" + lastAcked)).first() == null) {
                            readsMissing.incrementAndGet();
                        }
                    }
                    default -> {
                        try {
                            counters.updateOne(Filters.eq("_id", "t" + id), Updates.inc("n", 1),
                                    new UpdateOptions().upsert(true));
                        } catch (RuntimeException e) {
                            incFailed[id]++;
                            throw e;
                        }
                        incAcknowledged[id]++;
                        wrote();
                    }
                }
                outcome = "ok";
            } catch (MongoWriteException e) {
                outcome = "MongoWriteException " + e.getError().getCode();
                message = e.getMessage();
                if (e.getError().getCode() == 11000) {
                    duplicateKeyErrors.incrementAndGet();
                }
            } catch (MongoCommandException e) {
                outcome = "code " + e.getErrorCode() + " (" + e.getErrorCodeName() + ")";
                message = e.getErrorMessage();
            } catch (MongoException e) {
                outcome = e.getClass().getSimpleName();
                message = e.getMessage();
            } catch (RuntimeException e) {
                outcome = "UNEXPECTED " + e.getClass().getName();
                message = String.valueOf(e);
            }
            long end = System.nanoTime();
            if (message != null) {
                samples.putIfAbsent(outcome, message);
            }
            if (longestNanos.accumulateAndGet(end - start, Math::max) == end - start) {
                longestDescription = new String[] {"insert", "read", "$inc"}[kind] + " started at "
                        + String.format("%.2f", (start - startNanos) / 1e9) + " s, " + outcome;
            }
            outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
            if (outcome.equals("ok")) {
                int second = (int) TimeUnit.NANOSECONDS.toSeconds(end - startNanos);
                if (second < MAX_SECONDS) {
                    okPerSecond.incrementAndGet(second);
                }
            }
        }
    }

    private void wrote() {
        long now = System.nanoTime();
        long previous = lastWriteNanos.getAndSet(now);
        longestWriteGapNanos.accumulateAndGet(now - previous, Math::max);
    }

    /** Seconds since the load started (the index of {@link #okPerSecond}). */
    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Successful operations per second between two whole seconds of the run. */
    double throughput(int fromSecond, int toSecond) {
        long n = 0;
        for (int s = Math.max(0, fromSecond); s < Math.min(MAX_SECONDS, toSecond); s++) {
            n += okPerSecond.get(s);
        }
        return toSecond <= fromSecond ? 0 : (double) n / (toSecond - fromSecond);
    }

    Map<String, Long> outcomes() {
        Map<String, Long> m = new TreeMap<>();
        outcomes.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    Map<String, String> samples() {
        return new TreeMap<>(samples);
    }

    Set<String> acknowledgedIds() {
        return acknowledgedIds;
    }

    long incAcknowledged(int thread) {
        return incAcknowledged[thread];
    }

    long incFailed(int thread) {
        return incFailed[thread];
    }

    int threadCount() {
        return threads.size();
    }

    long readsMissing() {
        return readsMissing.get();
    }

    long duplicateKeyErrors() {
        return duplicateKeyErrors.get();
    }

    long longestMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longestNanos.get());
    }

    /** Which operation was the longest: its kind, when it started (seconds into the run) and its outcome. */
    String longestDescription() {
        return longestDescription;
    }

    long longestWriteGapMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longestWriteGapNanos.get());
    }

    /** Stops; returns the number of threads still in an operation after {@code graceMs}. */
    int stop(long graceMs) throws InterruptedException {
        running = false;
        long deadline = System.currentTimeMillis() + graceMs;
        int stuck = 0;
        for (Thread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
            if (t.isAlive()) {
                stuck++;
            }
        }
        return stuck;
    }

    @Override
    public void close() {
        running = false;
        clients.forEach(MongoClient::close);
    }
}
