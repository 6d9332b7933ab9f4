package org.bookstore.store.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bookstore.store.common.ClientCounts;
import org.bookstore.store.support.AtOnce;
import org.bookstore.store.support.StoreTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@StoreTest
class LoginThrottleTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    private final MovableClock clock = new MovableClock();

    private LoginThrottle throttle(int perAccount, int perAddress) {
        return new LoginThrottle(new ClientCounts(jdbc, transactions, clock),
                new LoginThrottle.Limits(perAccount, perAddress, 10, Duration.ofMinutes(15), Duration.ofMinutes(15)));
    }

    @Test
    void oneAddressTryingManyAccountsIsLockedOut() {
        LoginThrottle throttle = throttle(100, 4);
        String address = "203.0.113." + (int) (Math.random() * 200);
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure(UUID.randomUUID() + "@example.com", address);
        }
        assertThat(throttle.lockedFor("someone@example.com", address)).isEmpty();

        throttle.recordFailure(UUID.randomUUID() + "@example.com", address);

        assertThat(throttle.lockedFor("anyone-else@example.com", address)).hasValue(Duration.ofMinutes(15));
        assertThat(throttle.lockedFor("anyone-else@example.com", "198.51.100.1")).isEmpty();
    }

    @Test
    void aLockOutEndsAfterItsTime() {
        LoginThrottle throttle = throttle(3, 100);
        String email = UUID.randomUUID() + "@example.com";
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure(email, "192.0.2.1");
        }
        assertThat(throttle.lockedFor(email, "192.0.2.2")).isPresent();

        clock.advance(Duration.ofMinutes(16));

        assertThat(throttle.lockedFor(email, "192.0.2.2")).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        LoginThrottle throttle = throttle(3, 100);
        String email = UUID.randomUUID() + "@example.com";
        throttle.recordFailure(email, "192.0.2.1");
        throttle.recordFailure(email, "192.0.2.1");
        clock.advance(Duration.ofMinutes(20));

        throttle.recordFailure(email, "192.0.2.1");

        assertThat(throttle.lockedFor(email, "192.0.2.3")).isEmpty();
    }

    @Test
    void aSuccessfulLogInClearsTheAccountsFailures() {
        LoginThrottle throttle = throttle(3, 100);
        String email = UUID.randomUUID() + "@example.com";
        throttle.recordFailure(email, "192.0.2.1");
        throttle.recordFailure(email, "192.0.2.1");
        throttle.recordSuccess(email);

        throttle.recordFailure(email, "192.0.2.1");

        assertThat(throttle.lockedFor(email, "192.0.2.4")).isEmpty();
    }

    @Test
    void anAddressRegistersItsLimitThenWaitsOutTheLockOutWhileOthersAndItsLogInsAreUnaffected() {
        LoginThrottle throttle = throttle(3, 4);
        String address = "198.51.100." + (int) (Math.random() * 200);
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.takeRegistration(address)).as("registration " + (i + 1)).isEmpty();
        }
        assertThat(throttle.takeRegistration(address)).hasValue(Duration.ofMinutes(15));
        assertThat(throttle.takeRegistration(address)).hasValue(Duration.ofMinutes(15));
        assertThat(throttle.takeRegistration("203.0.113.250")).isEmpty();
        assertThat(throttle.lockedFor("someone@example.com", address)).as("log-ins are counted apart").isEmpty();

        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.takeRegistration(address)).hasValue(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(6));
        assertThat(throttle.takeRegistration(address)).isEmpty();
    }

    /**
     * Registrations and failed log-ins arriving at once, from many instances' threads, are each counted exactly once:
     * the limit lets exactly its number through and the lock-out starts at exactly the limit.
     */
    @Test
    void attemptsArrivingAtOnceAreEachCountedOnce() throws Exception {
        LoginThrottle throttle = throttle(100, 100);
        for (int round = 0; round < 5; round++) {
            String address = "192.0.2." + (int) (Math.random() * 250) + "-" + UUID.randomUUID();
            List<Optional<Duration>> taken = AtOnce.run(24, () -> throttle.takeRegistration(address));
            assertThat(taken.stream().filter(Optional::isEmpty).count()).as("registrations let through in round " + round)
                    .isEqualTo(10);

            String email = UUID.randomUUID() + "@example.com";
            AtOnce.run(24, () -> {
                throttle.recordFailure(email, "198.51.100.9");
                return Optional.empty();
            });
            assertThat(jdbc.sql("SELECT counted FROM client_counts WHERE throttle_key = ?").param("account:" + email)
                    .query(Integer.class).single()).as("failures counted in round " + round).isEqualTo(24);
        }
    }

    /** A count matters only within its window: one idle for a day is deleted, unless its lock-out still runs. */
    @Test
    void countsIdleForADayAreDeletedUnlessTheirLockOutStillRuns() {
        ClientCounts counts = new ClientCounts(jdbc, transactions, clock);
        String idle = "test-idle:" + UUID.randomUUID();
        String lockedOut = "test-locked:" + UUID.randomUUID();
        String recent = "test-recent:" + UUID.randomUUID();
        counts.add(idle, new ClientCounts.Limit(100, Duration.ofMinutes(15), Duration.ofMinutes(15)));
        counts.add(lockedOut, new ClientCounts.Limit(1, Duration.ofMinutes(15), Duration.ofDays(2)));
        clock.advance(Duration.ofHours(25));
        counts.add(recent, new ClientCounts.Limit(100, Duration.ofMinutes(15), Duration.ofMinutes(15)));

        counts.sweep();

        assertThat(jdbc.sql("SELECT throttle_key FROM client_counts WHERE throttle_key IN (?, ?, ?)")
                .params(idle, lockedOut, recent).query(String.class).list()).containsExactlyInAnyOrder(lockedOut, recent);
        assertThat(counts.lockedFor(lockedOut)).hasValue(Duration.ofHours(23));
    }

    /**
     * An IPv6 client is given a whole /64, so its addresses count as one; and whatever a proxy forwards as the
     * address (a long or odd value) is counted, never an error.
     */
    @Test
    void theAddressesOfOneIpv6NetworkCountAsOneClientAndAnyForwardedValueIsCounted() {
        LoginThrottle throttle = throttle(100, 3);
        String network = "2001:db8:" + Integer.toHexString((int) (Math.random() * 60_000)) + ":1";
        throttle.recordFailure(UUID.randomUUID() + "@example.com", network + ":0:0:0:1");
        throttle.recordFailure(UUID.randomUUID() + "@example.com", network + "::2");
        throttle.recordFailure(UUID.randomUUID() + "@example.com", "[" + network.toUpperCase() + ":ffff:0:0:3%eth0]");
        assertThat(throttle.lockedFor("anyone@example.com", network + "::abcd")).isPresent();
        assertThat(throttle.lockedFor("anyone@example.com", network.substring(0, network.length() - 1) + "2::1")).isEmpty();

        String forged = "x".repeat(400) + ", 198.51.100.7";
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure(UUID.randomUUID() + "@example.com", forged);
        }
        assertThat(throttle.lockedFor("anyone@example.com", forged)).isPresent();
        assertThat(throttle.lockedFor("anyone@example.com", "x".repeat(400))).isEmpty();
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.takeRegistration(forged)).isEmpty();
        }
        assertThat(throttle.takeRegistration(forged)).isPresent();
    }

    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
