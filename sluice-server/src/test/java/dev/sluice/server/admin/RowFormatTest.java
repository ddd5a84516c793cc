package dev.sluice.server.admin;

import dev.sluice.server.registry.Addresses;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** A listing's shared text is the text each row would have had on its own. */
class RowFormatTest {

    @Test
    void connectTimesAreTheFormattersTextWhateverTheOrder() {
        RowFormat format = new RowFormat();
        SplittableRandom random = new SplittableRandom(13);
        long base = Instant.parse("2026-12-01T23:59:58.000Z").toEpochMilli();
        for (int i = 0; i < 20_000; i++) {
            // bursts within a few seconds (the cache hits), across a day and a year boundary, and anywhere
            long t = switch (i % 3) {
                case 0 -> base + random.nextLong(0, 4_000);
                case 1 -> Instant.parse("2026-12-31T23:59:59.990Z").toEpochMilli() + random.nextLong(0, 30);
                default -> random.nextLong(0, 4_102_444_800_000L); // 1970 to 2100
            };
            assertThat(format.connectTime(t)).as("epoch millis %d", t)
                    .isEqualTo(ConnectionView.CONNECT_TIME.format(Instant.ofEpochMilli(t)));
        }
    }

    @Test
    void millisecondsArePaddedToThreeDigits() {
        RowFormat format = new RowFormat();
        long second = Instant.parse("2024-05-01T09:30:00Z").toEpochMilli();
        assertThat(format.connectTime(second)).isEqualTo("2024-05-01T09:30:00.000Z");
        assertThat(format.connectTime(second + 7)).isEqualTo("2024-05-01T09:30:00.007Z");
        assertThat(format.connectTime(second + 42)).isEqualTo("2024-05-01T09:30:00.042Z");
        assertThat(format.connectTime(second + 999)).isEqualTo("2024-05-01T09:30:00.999Z");
        assertThat(format.connectTime(second + 1000)).isEqualTo("2024-05-01T09:30:01.000Z");
    }

    @Test
    void addressesAreFormattedAsEntriesFormatThemAndChangesAreSeen() {
        RowFormat format = new RowFormat();
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 27017);
        InetSocketAddress sameAsA = new InetSocketAddress("127.0.0.1", 27017);
        InetSocketAddress b = new InetSocketAddress("::1", 27018);
        assertThat(format.address(a)).isEqualTo(Addresses.format(a)).isEqualTo("127.0.0.1:27017");
        assertThat(format.address(sameAsA)).isEqualTo("127.0.0.1:27017");
        assertThat(format.address(b)).isEqualTo(Addresses.format(b)).isEqualTo("[0:0:0:0:0:0:0:1]:27018");
        assertThat(format.address(a)).isEqualTo("127.0.0.1:27017");
        assertThat(format.address("in-process")).isEqualTo("in-process");
        assertThat(format.address(null)).isNull();
    }
}
