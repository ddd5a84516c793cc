package dev.sluice.bench.proxy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.net.InetSocketAddress;

/**
 * The real MongoDB Java driver on its own thread: one MongoClient with maxPoolSize=1, looping
 * {@code find().first()} (a find with limit 1, singleBatch), which any proxy forwards.
 */
final class DriverClient extends Client implements Runnable {
    private final InetSocketAddress target;
    private final Phases phases;

    DriverClient(InetSocketAddress target, Phases phases) {
        this.target = target;
        this.phases = phases;
    }

    @Override
    public void run() {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://" + target.getHostString() + ":"
                        + target.getPort() + "/?maxPoolSize=1&serverSelectionTimeoutMS=10000&appName=sluice-bench"))
                .build();
        try (MongoClient client = MongoClients.create(settings)) {
            MongoCollection<Document> items = client.getDatabase("bench").getCollection("items");
            if (items.find().first() == null) {
                throw new IllegalStateException("find returned no document");
            }
            Window window = phases.readyAndWait();
            for (;;) {
                long t0 = System.nanoTime();
                if (window.over(t0)) {
                    break;
                }
                items.find().first();
                long t1 = System.nanoTime();
                if (window.records(t0, t1)) {
                    latencies.recordValue(t1 - t0);
                }
            }
        } catch (RuntimeException e) {
            error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            phases.leave();
        }
    }
}
