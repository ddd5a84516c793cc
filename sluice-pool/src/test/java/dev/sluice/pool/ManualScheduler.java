package dev.sluice.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler driven by a {@link FakeTicker}: tasks run on the test's thread, when {@link #advance(Duration)} moves
 * the clock past their due time (or {@link #runDue()} is called).
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final FakeTicker ticker;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long sequence;
    private boolean shutdown;

    ManualScheduler(FakeTicker ticker) {
        this.ticker = ticker;
    }

    /** Moves the clock and runs every task that falls due, in due order. */
    void advance(Duration d) {
        ticker.advance(d);
        runDue();
    }

    void runDue() {
        for (Task t = nextDue(); t != null; t = nextDue()) {
            t.runOnce();
        }
    }

    synchronized int pendingTasks() {
        return (int) tasks.stream().filter(t -> !t.cancelled).count();
    }

    private synchronized Task nextDue() {
        Task head = tasks.peek();
        while (head != null && head.cancelled) {
            tasks.poll();
            head = tasks.peek();
        }
        if (head == null || head.due > ticker.nanoTime()) {
            return null;
        }
        return tasks.poll();
    }

    private synchronized Task add(Runnable r, long delayNanos, long periodNanos) {
        Task t = new Task(r, ticker.nanoTime() + Math.max(0, delayNanos), periodNanos, sequence++);
        tasks.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(command, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(command, unit.toNanos(initialDelay), unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
        add(command, 0, 0);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(tasks);
        tasks.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object>, Runnable {
        private final Runnable body;
        private final long period;
        private final long seq;
        private long due;
        private volatile boolean cancelled;
        private volatile boolean done;

        Task(Runnable body, long due, long period, long seq) {
            this.body = body;
            this.due = due;
            this.period = period;
            this.seq = seq;
        }

        void runOnce() {
            body.run();
            if (period > 0 && !cancelled) {
                synchronized (ManualScheduler.this) {
                    due = ticker.nanoTime() + period;
                    tasks.add(this);
                }
            } else {
                done = true;
            }
        }

        @Override
        public void run() {
            runOnce();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - ticker.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task other = (Task) o;
            return due != other.due ? Long.compare(due, other.due) : Long.compare(seq, other.seq);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return !done;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
