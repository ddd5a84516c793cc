package dev.sluice.server.http;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FailedLoginsTest {
    private final MovableClock clock = new MovableClock();
    private final FailedLogins logins = new FailedLogins(clock, Duration.ofSeconds(5));
    private final InetAddress attacker = address(10, 0, 0, 1);
    private final InetAddress someoneElse = address(10, 0, 0, 2);

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void eachFailureInARowIsAnsweredTwiceAsLateUpToTheCapAndTheAddressIsHeldThatLong() {
        assertThat(logins.admit(attacker)).isEqualTo(new FailedLogins.Admission(true, Duration.ZERO));
        long[] expected = {250, 500, 1000, 2000, 4000, 5000, 5000};
        for (int i = 0; i < expected.length; i++) {
            FailedLogins.Failure failure = logins.failed(attacker);
            assertThat(failure.failures()).isEqualTo(i + 1);
            assertThat(failure.delay()).isEqualTo(Duration.ofMillis(expected[i]));
            clock.advance(Duration.ofMillis(expected[i] - 1));
            assertThat(logins.admit(someoneElse).delay()).as("other addresses are not slowed").isZero();
            clock.advance(Duration.ofMillis(1));
            assertThat(logins.admit(attacker).delay()).as("the next attempt, sent once the answer came").isZero();
        }
        assertThat(FailedLogins.penalty(Integer.MAX_VALUE)).isEqualTo(Duration.ofMillis(FailedLogins.MAX_PENALTY_MS));
    }

    @Test
    void noDelayExceedsMaxWait() {
        FailedLogins shortTimeout = new FailedLogins(clock, Duration.ofSeconds(1));
        long[] expected = {250, 500, 1000, 1000, 1000};
        for (long delay : expected) {
            assertThat(shortTimeout.failed(attacker).delay()).isEqualTo(Duration.ofMillis(delay));
        }
    }

    @Test
    void parallelAttemptsGetSlotsOnePenaltyApartAndPastMaxWaitAreRefusedWithARetryDelay() {
        logins.failed(attacker);
        logins.failed(attacker); // penalty now 500 ms
        assertThat(logins.admit(attacker).delay()).isEqualTo(Duration.ofMillis(500));
        assertThat(logins.admit(attacker).delay()).isEqualTo(Duration.ofMillis(1000));
        for (int i = 3; i <= 10; i++) {
            assertThat(logins.admit(attacker).delay()).isEqualTo(Duration.ofMillis(500L * i));
        }
        FailedLogins.Admission refused = logins.admit(attacker);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.delay()).isEqualTo(Duration.ofMillis(500));
        clock.advance(Duration.ofSeconds(1));
        assertThat(logins.admit(attacker).admitted()).isTrue();
    }

    @Test
    void aSuccessOrFifteenQuietMinutesForgetTheAddress() {
        logins.failed(attacker);
        logins.failed(attacker);
        logins.succeeded(attacker);
        assertThat(logins.admit(attacker).delay()).isZero();

        logins.failed(attacker);
        clock.advance(Duration.ofMinutes(FailedLogins.FORGET_AFTER_MINUTES).minusSeconds(1));
        assertThat(logins.failed(attacker).failures()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(FailedLogins.FORGET_AFTER_MINUTES));
        assertThat(logins.admit(attacker).delay()).isZero();
        assertThat(logins.failed(attacker).failures()).isEqualTo(1);
    }

    @Test
    void theTableKeepsAtMostMaxAddressesDroppingTheLeastRecentlyUsed() {
        logins.failed(attacker);
        for (int i = 0; i < FailedLogins.MAX_ADDRESSES; i++) {
            logins.failed(address(10, 1 + i / 65536, (i / 256) % 256, i % 256));
        }
        assertThat(logins.size()).isEqualTo(FailedLogins.MAX_ADDRESSES);
        assertThat(logins.admit(attacker).delay()).as("the oldest address was dropped").isZero();
    }
}
