package dev.sluice.server.faults;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Killing client connections must not touch the upstream pool: the request a killed client had
 * sent completes unseen and its backend connection is returned (or closed by Sluice if no reply
 * comes in time), and neither is a network error, so the pool is never cleared and other clients
 * never see HostUnreachable. Found by the soak, where a
 * kill that landed between a check-out and its send cleared the whole pool.
 */
class KillIsolationIT {

    @Test
    void killingClientsMidOperationNeverClearsThePool() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + "?maxPoolSize=4");
             MongoClient bystander = MongoClients.create(sluice.uri("appName=bystander&retryReads=false"))) {
            long clearsBefore = sluice.server().cluster().statistics().get(0).clears();
            AtomicInteger hostUnreachable = new AtomicInteger();
            List<MongoClient> victims = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            // until enough kills happened (bounded): a fixed duration gives few kills on a busy machine
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            long end = System.nanoTime() + 30_000_000_000L;
            for (int i = 0; i < 8; i++) {
                MongoClient victim = MongoClients.create(sluice.uri("appName=victim&retryReads=false&retryWrites=false"));
                victims.add(victim);
                threads.add(new Thread(() -> {
                    while (running.get()) {
                        try {
                            victim.getDatabase("test").runCommand(new Document("count", "c"));
                        } catch (MongoCommandException e) {
                            if (e.getErrorCode() == 6) {
                                hostUnreachable.incrementAndGet();
                            }
                        } catch (MongoException expected) {
                            // its connection was killed
                        }
                    }
                }));
            }
            threads.add(new Thread(() -> {
                while (running.get()) {
                    try {
                        bystander.getDatabase("test").runCommand(new Document("count", "c"));
                    } catch (MongoCommandException e) {
                        if (e.getErrorCode() == 6) {
                            hostUnreachable.incrementAndGet();
                        }
                    }
                }
            }));
            threads.forEach(Thread::start);
            java.util.Set<String> killed = new java.util.HashSet<>();
            while (killed.size() <= 60 && System.nanoTime() < end) {
                for (ConnectionEntry e : sluice.server().registry().snapshot()) {
                    if ("victim".equals(e.appName()) && e.currentOp() != null && killed.add(e.connectionId())) {
                        e.kill("test");
                    }
                }
                Thread.onSpinWait();
            }
            running.set(false);
            for (Thread t : threads) {
                t.join(20_000);
            }
            int kills = killed.size();
            victims.forEach(MongoClient::close);
            assertThat(kills).as("kills").isGreaterThan(50);
            assertThat(sluice.server().cluster().statistics().get(0).clears() - clearsBefore)
                    .as("pool clears caused by %d kills", kills).isZero();
            assertThat(hostUnreachable.get()).as("HostUnreachable errors").isZero();
        }
    }
}
