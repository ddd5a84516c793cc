package dev.sluice.bench.faults;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
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
 * The fault bench's load: threads over a few MongoClients (appName load-n), each looping over insert,
 * find with getMores, aggregate, update, count and the occasional slow command, counting outcomes by
 * kind and timing the longest operation.
 */
final class BenchLoad implements AutoCloseable {
    private final List<MongoClient> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, String> samples = new ConcurrentHashMap<>();
    private final long[] lastSuccess;
    private final AtomicLong longest = new AtomicLong();
    private volatile boolean running = true;

    BenchLoad(String uri, String options, int clientCount, int threadCount) {
        for (int c = 0; c < clientCount; c++) {
            clients.add(MongoClients.create(uri + "?" + options + "&appName=load-" + c));
        }
        lastSuccess = new long[threadCount];
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
        MongoCollection<Document> c = client.getDatabase("bench").getCollection("items" + (id % 4));
        for (long i = 0; running; i++) {
            long start = System.nanoTime();
            String outcome;
            String message = null;
            try {
                switch ((int) (i % 5)) {
                    case 0 -> c.insertOne(new Document("t", id).append("i", i).append("pad", "x".repeat(200)));
                    case 1 -> {
                        int n = 0;
                        for (Document ignored : c.find(Filters.eq("t", id)).batchSize(4).limit(12)) {
                            n++;
                        }
                    }
                    case 2 -> c.aggregate(List.of(new Document("$match", new Document("t", id)),
                            new Document("$count", "n"))).first();
                    case 3 -> c.updateOne(Filters.and(Filters.eq("t", id), Filters.eq("i", i - 3)), Updates.inc("u", 1));
                    default -> {
                        c.deleteMany(Filters.and(Filters.eq("t", id), Filters.lt("i", i - 50)));
                    }
                }
                outcome = "ok";
                synchronized (lastSuccess) {
                    lastSuccess[id] = System.nanoTime();
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
            if (message != null) {
                samples.putIfAbsent(outcome, message);
            }
            longest.accumulateAndGet(System.nanoTime() - start, Math::max);
            outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
            if (!outcome.equals("ok")) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    long count(String outcome) {
        LongAdder a = outcomes.get(outcome);
        return a == null ? 0 : a.sum();
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

    boolean everyThreadSucceededSince(long nanos) {
        synchronized (lastSuccess) {
            for (long t : lastSuccess) {
                if (t - nanos <= 0) {
                    return false;
                }
            }
        }
        return true;
    }

    Map<String, Long> outcomes() {
        Map<String, Long> m = new TreeMap<>();
        outcomes.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** The first message seen for each kind of failure. */
    Map<String, String> samples() {
        return new TreeMap<>(samples);
    }

    long longestMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longest.get());
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
