package dev.sluice.pool;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A composite calls every listener in order, whatever one of them throws, and the pool carries on. */
class CompositeListenerTest {

    @Test
    void aFailingListenerKeepsACheckOutFromNoOtherAndThePoolCarriesOn() {
        List<String> seen = new ArrayList<>();
        PoolListener failing = new PoolListener() {
            @Override
            public void connectionCheckedOut(ConnectionCheckedOutEvent e) {
                seen.add("failing");
                throw new IllegalStateException("listener bug");
            }
        };
        PoolListener values = new PoolListener() {
            @Override
            public void connectionCheckedOut(String address, long connectionId, long durationNanos) {
                seen.add("values " + address);
            }
        };
        try (ConnectionPool<ManualFactory.Conn> pool = ConnectionPool.builder(new ManualFactory(true))
                .address("db1:27017").listener(PoolListener.of(failing, values))
                .settings(PoolSettings.builder().maintenanceIntervalMS(0).build()).build()) {
            pool.ready();
            pool.checkOut().checkIn();
            pool.checkOut().checkIn();
        }
        assertThat(seen).containsExactly("failing", "values db1:27017", "failing", "values db1:27017");
    }

    @Test
    void theFirstFailureIsThrownAfterEveryListenerWasCalledWithTheOthersSuppressed() {
        List<String> seen = new ArrayList<>();
        PoolListener first = new PoolListener() {
            @Override
            public void connectionCheckedOut(String address, long connectionId, long durationNanos) {
                seen.add("first");
                throw new IllegalStateException("first");
            }
        };
        PoolListener second = new PoolListener() {
            @Override
            public void connectionCheckedOut(ConnectionCheckedOutEvent e) {
                seen.add("second " + e.connectionId());
                throw new IllegalArgumentException("second");
            }
        };
        assertThatThrownBy(() -> PoolListener.of(first, second).connectionCheckedOut("db1:27017", 3, 10L))
                .isInstanceOf(IllegalStateException.class).hasMessage("first")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .isInstanceOf(IllegalArgumentException.class));
        assertThat(seen).containsExactly("first", "second 3");
    }
}
