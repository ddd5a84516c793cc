package dev.sluice.server.admin;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs admin commands off the event loops, on one thread named {@code sluice-admin}, so that a
 * large command (a 100,000-id killConnections, a listConnections over 20,000 connections) never
 * delays the other clients of a loop. At most {@code maxQueuedCommands} wait; past that a command
 * is answered at once with code 462 naming the limit. Created and closed by the server.
 */
public final class AdminExecutor implements AutoCloseable {
    static final int OVERLOADED = 462;
    static final int SHUTTING_DOWN = 91;
    private static final Logger log = LoggerFactory.getLogger(AdminExecutor.class);

    private final ThreadPoolExecutor executor;
    private final int maxQueued;

    public AdminExecutor(int maxQueuedCommands) {
        this.maxQueued = maxQueuedCommands;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxQueuedCommands), r -> {
                    Thread t = new Thread(r, "sluice-admin");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code command} on the admin thread. The future completes there with its reply, or at once
     * with an error reply when the queue is full or the executor closed; it never completes
     * exceptionally (an unexpected exception becomes an InternalError reply).
     */
    public CompletableFuture<AdminReply> submit(String commandName, Supplier<AdminReply> command) {
        Task task = new Task(commandName, command);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.result.complete(AdminReply.of(executor.isShutdown() ? shuttingDown(commandName)
                    : error(OVERLOADED, "IngressRequestRateLimitExceeded", commandName + " refused: "
                            + maxQueued + " admin commands are already waiting (maxQueuedCommands: " + maxQueued
                            + "); retry later")));
        }
        return task.result;
    }

    /** Admin commands waiting for the admin thread. */
    public int queued() {
        return executor.getQueue().size();
    }

    /** Stops the admin thread; commands still waiting are answered ShutdownInProgress. */
    @Override
    public void close() {
        for (Runnable waiting : executor.shutdownNow()) {
            Task task = (Task) waiting;
            task.result.complete(AdminReply.of(shuttingDown(task.commandName)));
        }
    }

    private static BsonDocument shuttingDown(String commandName) {
        return error(SHUTTING_DOWN, "ShutdownInProgress", "Sluice is shutting down; " + commandName + " not run");
    }

    /** One command and the future of its reply. */
    private static final class Task implements Runnable {
        final String commandName;
        final Supplier<AdminReply> command;
        final CompletableFuture<AdminReply> result = new CompletableFuture<>();

        Task(String commandName, Supplier<AdminReply> command) {
            this.commandName = commandName;
            this.command = command;
        }

        @Override
        public void run() {
            try {
                result.complete(command.get());
            } catch (RuntimeException e) {
                log.warn("[admin] {} failed unexpectedly: {}", commandName, e.toString());
                result.complete(AdminReply.of(error(1, "InternalError", commandName + " failed: " + e)));
            } catch (Error e) {
                result.complete(AdminReply.of(error(1, "InternalError", commandName + " failed: " + e)));
                throw e;
            }
        }
    }

    private static BsonDocument error(int code, String codeName, String errmsg) {
        return new BsonDocument("ok", new BsonDouble(0))
                .append("errmsg", new BsonString(errmsg))
                .append("code", new BsonInt32(code))
                .append("codeName", new BsonString(codeName));
    }
}
