package dev.sluice.server.admin;

import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AdminExecutorTest {
    private final AdminExecutor executor = new AdminExecutor(2);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        executor.close();
    }

    private AdminReply blocked() {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return AdminReply.of(BsonDocument.parse("{ok: 1}"));
    }

    @Test
    void commandsRunOnTheSluiceAdminThread() throws Exception {
        String thread = executor.submit("ping", () -> AdminReply.of(BsonDocument.parse(
                "{ok: 1, thread: '" + Thread.currentThread().getName() + "'}"))).get(10, TimeUnit.SECONDS)
                .reply().getString("thread").getValue();
        assertThat(thread).isEqualTo("sluice-admin");
    }

    @Test
    void aFullQueueIsAnsweredAtOnceNamingTheLimit() throws Exception {
        CompletableFuture<AdminReply> running = executor.submit("killConnections", this::blocked);
        // the first goes straight to the thread; two more wait; the next is refused
        List<CompletableFuture<AdminReply>> all = new ArrayList<>(List.of(running));
        CompletableFuture<AdminReply> refused = null;
        for (int i = 0; i < 4 && refused == null; i++) {
            CompletableFuture<AdminReply> f = executor.submit("listConnections", this::blocked);
            if (f.isDone()) {
                refused = f;
            } else {
                all.add(f);
            }
        }

        assertThat(refused).isNotNull();
        BsonDocument reply = refused.get().reply();
        assertThat(reply.getInt32("code").getValue()).isEqualTo(462);
        assertThat(reply.getString("errmsg").getValue())
                .isEqualTo("listConnections refused: 2 admin commands are already waiting (maxQueuedCommands: 2); "
                        + "retry later");
        release.countDown();
        for (CompletableFuture<AdminReply> f : all) {
            assertThat(f.get(10, TimeUnit.SECONDS).reply().getInt32("ok").getValue()).isEqualTo(1);
        }
    }

    @Test
    void closingAnswersTheWaitingCommandsAndRefusesNewOnes() throws Exception {
        executor.submit("killConnections", this::blocked);
        CompletableFuture<AdminReply> waiting = executor.submit("listConnections", this::blocked);

        executor.close();

        assertThat(waiting.get(10, TimeUnit.SECONDS).reply().getString("codeName").getValue())
                .isEqualTo("ShutdownInProgress"); // the first runs (the pool's first task is never queued)
        BsonDocument late = executor.submit("serverStatus", this::blocked).get(10, TimeUnit.SECONDS).reply();
        assertThat(late.getInt32("code").getValue()).isEqualTo(91);
        assertThat(late.getString("errmsg").getValue()).isEqualTo("Sluice is shutting down; serverStatus not run");
    }

    @Test
    void anUnexpectedExceptionBecomesAnInternalErrorReply() throws Exception {
        BsonDocument reply = executor.submit("serverStatus", () -> {
            throw new IllegalStateException("boom");
        }).get(10, TimeUnit.SECONDS).reply();
        assertThat(reply.getString("codeName").getValue()).isEqualTo("InternalError");
        assertThat(reply.getString("errmsg").getValue()).contains("boom");
    }
}
