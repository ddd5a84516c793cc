package dev.sluice.bench.pool;

import com.mongodb.internal.connection.InternalConnection;
import com.mongodb.internal.connection.OperationContext;
import com.mongodb.internal.connection.SluiceBenchDriverPool;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.pool.ConnectionClosedEvent;
import dev.sluice.pool.ConnectionDescriptor;
import dev.sluice.pool.ConnectionFactory;
import dev.sluice.pool.ConnectionPool;
import dev.sluice.pool.PoolSettings;
import dev.sluice.pool.PooledConnection;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One check-out + check-in of an idle connection, over connections that do no I/O, for four pools side by side:
 * Sluice's {@link ConnectionPool} (blocking {@code checkOut()}), HikariCP, Apache Commons Pool2 and the MongoDB Java
 * driver's {@code DefaultConnectionPool}. Run with {@code -t 1, 4, 16, 64}; {@code poolSize} 128 is larger than any
 * thread count (uncontended), 8 makes threads wait for each other (contended).
 *
 * <p>Every pool waits up to 30 s for a connection, keeps its connections (no idle or lifetime retirement during a
 * run) and has no per-borrow validation: HikariCP's aliveness check is bypassed for connections used within
 * {@code com.zaxxer.hikari.aliveBypassWindowMs} (set to one hour below) and its housekeeping runs every 10 minutes;
 * Commons Pool2 has no evictor, testOnBorrow/testOnReturn off, JMX off.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dcom.zaxxer.hikari.aliveBypassWindowMs=3600000",
        "-Dcom.zaxxer.hikari.housekeeping.periodMs=600000"})
public class PoolCycleBenchmark {

    private static final long WAIT_MS = 30_000;

    /** Sluice's pool over connections that open at once. */
    @State(Scope.Benchmark)
    public static class SluiceState {
        @Param({"8", "128"})
        int poolSize;
        ConnectionPool<Object> pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = ConnectionPool.builder(new ConnectionFactory<Object>() {
                @Override
                public CompletableFuture<Object> open(ConnectionDescriptor descriptor) {
                    return CompletableFuture.completedFuture(descriptor);
                }

                @Override
                public void close(Object connection, ConnectionClosedEvent.Reason reason) {
                }
            }).address("localhost:27017").settings(PoolSettings.builder().maxPoolSize(poolSize)
                    .waitQueueTimeoutMS(WAIT_MS).build()).build();
            pool.ready();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    /** HikariCP over a JDBC data source whose connections do nothing. */
    @State(Scope.Benchmark)
    public static class HikariState {
        @Param({"8", "128"})
        int poolSize;
        HikariDataSource dataSource;

        @Setup(Level.Trial)
        public void setUp() {
            HikariConfig config = new HikariConfig();
            config.setDataSource(new StubDataSource());
            config.setPoolName("bench");
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(poolSize);
            config.setConnectionTimeout(WAIT_MS);
            config.setMaxLifetime(0);
            config.setKeepaliveTime(0);
            config.setLeakDetectionThreshold(0);
            config.setRegisterMbeans(false);
            config.setAutoCommit(true);
            dataSource = new HikariDataSource(config);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            dataSource.close();
        }
    }

    /** Apache Commons Pool2's GenericObjectPool of plain objects. */
    @State(Scope.Benchmark)
    public static class Pool2State {
        @Param({"8", "128"})
        int poolSize;
        GenericObjectPool<Object> pool;

        @Setup(Level.Trial)
        public void setUp() {
            GenericObjectPoolConfig<Object> config = new GenericObjectPoolConfig<>();
            config.setMaxTotal(poolSize);
            config.setMaxIdle(poolSize);
            config.setMinIdle(0);
            config.setBlockWhenExhausted(true);
            config.setMaxWait(Duration.ofMillis(WAIT_MS));
            config.setTestOnBorrow(false);
            config.setTestOnReturn(false);
            config.setTestWhileIdle(false);
            config.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
            config.setJmxEnabled(false);
            pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
                @Override
                public Object create() {
                    return new Object();
                }

                @Override
                public PooledObject<Object> wrap(Object obj) {
                    return new DefaultPooledObject<>(obj);
                }
            }, config);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    /** The MongoDB Java driver's DefaultConnectionPool (mongodb-driver-core 5.2.1). */
    @State(Scope.Benchmark)
    public static class DriverState {
        @Param({"8", "128"})
        int poolSize;
        SluiceBenchDriverPool pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = new SluiceBenchDriverPool(poolSize);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    /** The driver needs an operation context per check-out; each benchmark thread reuses its own. */
    @State(Scope.Thread)
    public static class DriverThreadState {
        OperationContext context;

        @Setup(Level.Trial)
        public void setUp(DriverState pool) {
            context = pool.pool.newOperationContext();
        }
    }

    @Benchmark
    public Object sluice(SluiceState s) {
        PooledConnection<Object> c = s.pool.checkOut();
        c.checkIn();
        return c;
    }

    @Benchmark
    public Object hikari(HikariState s) throws SQLException {
        Connection c = s.dataSource.getConnection();
        c.close();
        return c;
    }

    @Benchmark
    public Object commonsPool2(Pool2State s) throws Exception {
        Object o = s.pool.borrowObject();
        s.pool.returnObject(o);
        return o;
    }

    @Benchmark
    public Object mongoDriver(DriverState s, DriverThreadState t) {
        InternalConnection c = s.pool.checkOut(t.context);
        c.close();
        return c;
    }
}
