package dev.sluice.bench.soak;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.BsonArray;
import org.bson.BsonString;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's bounded mixed workload: each thread, in a loop with a short pause, inserts a batch,
 * reads it back with a small batch size (so getMores run), aggregates, updates and deletes it (the
 * data set stays small); every 50th iteration it connects a fresh client, runs one operation and
 * disconnects (churn). One more thread kills a random connection of the workload with
 * {@code killConnections} every {@code killEverySeconds}.
 */
final class SoakWorkload implements AutoCloseable {
    private static final String OPTIONS = "serverSelectionTimeoutMS=5000&connectTimeoutMS=5000&socketTimeoutMS=20000";

    private final String uri;
    private final List<Thread> threads = new ArrayList<>();
    private final List<MongoClient> clients = new ArrayList<>();
    private final LongAdder operations = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    SoakWorkload(String uri, int threadCount, long pauseMs, long killEverySeconds) {
        this.uri = uri;
        for (int t = 0; t < threadCount; t++) {
            MongoClient client = MongoClients.create(uri + "?" + OPTIONS + "&maxPoolSize=4&appName=soak-" + t);
            clients.add(client);
            int id = t;
            threads.add(new Thread(() -> loop(id, client, pauseMs), "soak-" + t));
        }
        if (killEverySeconds > 0) {
            MongoClient admin = MongoClients.create(uri + "?" + OPTIONS + "&appName=soak-killer");
            clients.add(admin);
            threads.add(new Thread(() -> killer(admin, killEverySeconds), "soak-killer"));
        }
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
    }

    private void loop(int id, MongoClient client, long pauseMs) {
        MongoCollection<Document> c = client.getDatabase("soak").getCollection("items" + (id % 3));
        for (long i = 0; running; i++) {
            String key = id + "-" + i;
            try {
                List<Document> batch = new ArrayList<>();
                for (int k = 0; k < 20; k++) {
                    batch.add(new Document("key", key).append("k", k).append("pad", "x".repeat(100)));
                }
                c.insertMany(batch);
                count();
                int seen = 0;
                try (MongoCursor<Document> cursor = c.find(Filters.eq("key", key)).batchSize(5).iterator()) {
                    while (cursor.hasNext()) {
                        cursor.next();
                        seen++;
                    }
                }
                count();
                if (seen != 20) {
                    error("read back " + seen + " of 20");
                }
                c.aggregate(List.of(Aggregates.match(Filters.eq("key", key)),
                        Aggregates.group("$key", Accumulators.sum("n", 1)))).first();
                count();
                c.updateMany(Filters.eq("key", key), Updates.inc("k", 1));
                count();
                c.deleteMany(Filters.eq("key", key));
                count();
                if (i % 50 == 49) {
                    try (MongoClient once = MongoClients.create(uri + "?" + OPTIONS + "&appName=soak-churn")) {
                        once.getDatabase("soak").runCommand(new Document("count", "items0"));
                        count();
                    }
                }
            } catch (MongoException e) {
                error(e.getClass().getSimpleName() + (e.getCode() != -1 ? " " + e.getCode() : ""));
            } catch (RuntimeException e) {
                error("unexpected " + e);
            }
            pause(pauseMs);
        }
    }

    private void killer(MongoClient admin, long everySeconds) {
        while (running) {
            pause(everySeconds * 1000);
            if (!running) {
                return;
            }
            try {
                Document list = admin.getDatabase("admin").runCommand(new Document("listConnections", 1));
                List<String> ids = new ArrayList<>();
                for (Document row : list.get("cursor", Document.class).getList("firstBatch", Document.class)) {
                    String app = row.getString("appName");
                    if (app != null && app.startsWith("soak-") && !app.equals("soak-killer")) {
                        ids.add(row.getString("connectionId"));
                    }
                }
                if (!ids.isEmpty()) {
                    String victim = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    admin.getDatabase("admin").runCommand(new Document("killConnections",
                            new BsonArray(List.of(new BsonString(victim)))));
                }
            } catch (MongoException e) {
                error("killer " + e.getClass().getSimpleName());
            }
        }
    }

    private void count() {
        operations.increment();
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long operations() {
        return operations.sum();
    }

    long errorCount() {
        long n = 0;
        for (LongAdder a : errors.values()) {
            n += a.sum();
        }
        return n;
    }

    Map<String, Long> errors() {
        Map<String, Long> copy = new TreeMap<>();
        errors.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** Stops the threads (each finishes its iteration); returns how many were still running after 30 s (stuck). */
    int stop() throws InterruptedException {
        running = false;
        int stuck = 0;
        for (Thread t : threads) {
            if (t.getName().equals("soak-killer")) {
                t.interrupt(); // only the killer sleeps long; operations finish on their own
            }
            t.join(30_000);
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
