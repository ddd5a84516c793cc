package dev.sluice.server.net;

import dev.sluice.server.config.NetTransport;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The transport's process-wide settings. */
class TransportTest {

    @Test
    void autoIsIoUringWhereTheKernelAllowsItElseEpoll() {
        assumeTrue(System.getProperty(Transport.PROPERTY, "").isBlank(),
                () -> "-D" + Transport.PROPERTY + "=" + System.getProperty(Transport.PROPERTY) + " stands for auto here");
        String expected = Transport.unavailability(NetTransport.IO_URING) == null ? "io_uring"
                : Transport.unavailability(NetTransport.EPOLL) == null ? "epoll" : "nio";
        assertThat(Transport.detect(NetTransport.AUTO).name()).isEqualTo(expected);
        assertThat(Transport.detect().name()).isEqualTo(expected);
    }

    @Test
    void ioUringLoopsWaitingForCompletionsAreNotCountedAsIoWait() {
        Transport.detect(NetTransport.AUTO);
        assertThat(System.getProperty(Transport.NO_IOWAIT_PROPERTY)).isEqualTo("true");
        assumeTrue(Transport.unavailability(NetTransport.IO_URING) == null,
                () -> "io_uring is not available here: " + Transport.unavailability(NetTransport.IO_URING));
        assertThat(Transport.detect(NetTransport.IO_URING).name()).isEqualTo("io_uring");
        // Netty applies it where the kernel supports IORING_ENTER_NO_IOWAIT (Linux 6.15+)
        assumeTrue(System.getProperty("os.version", "").matches("^(6\\.(1[5-9]|[2-9]\\d)|[7-9]\\.).*"),
                () -> "IORING_ENTER_NO_IOWAIT needs Linux 6.15 or later; this is " + System.getProperty("os.version"));
        assertThat(IoUring.isIoringEnterNoIoWaitEnabled()).isTrue();
    }
}
