package org.bookstore.store.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.bookstore.store.common.ClientCounts;
import org.bookstore.store.support.AtOnce;
import org.bookstore.store.support.StoreTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@StoreTest
class LoginThrottleTest {

    /** Every attempt here is from a browser the account has not logged in from (see LogInGuessingTest for those). */
    private static final Optional<String> UNKNOWN_BROWSER = Optional.empty();

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
            throttle.takeAttempt(UUID.randomUUID() + "@example.com", address, UNKNOWN_BROWSER);
        }
        assertThat(lockedFor("someone@example.com", address)).isEmpty();

        throttle.takeAttempt(UUID.randomUUID() + "@example.com", address, UNKNOWN_BROWSER);

        assertThat(lockedFor("anyone-else@example.com", address)).hasValue(Duration.ofMinutes(15));
        assertThat(lockedFor("anyone-else@example.com", "198.51.100.1")).isEmpty();
    }

    @Test
    void aLockOutEndsAfterItsTime() {
        LoginThrottle throttle = throttle(3, 100);
        String email = UUID.randomUUID() + "@example.com";
        for (int i = 0; i < 3; i++) {
            throttle.takeAttempt(email, "192.0.2.1", UNKNOWN_BROWSER);
        }
        assertThat(lockedFor(email, "192.0.2.2")).isPresent();

        clock.advance(Duration.ofMinutes(16));

        assertThat(lockedFor(email, "192.0.2.2")).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        LoginThrottle throttle = throttle(3, 100);
        String email = UUID.randomUUID() + "@example.com";
        throttle.takeAttempt(email, "192.0.2.1", UNKNOWN_BROWSER);
        throttle.takeAttempt(email, "192.0.2.1", UNKNOWN_BROWSER);
        clock.advance(Duration.ofMinutes(20));

        throttle.takeAttempt(email, "192.0.2.1", UNKNOWN_BROWSER);

        assertThat(lockedFor(email, "192.0.2.3")).isEmpty();
    }

    @Test
    void aSuccessfulLogInClearsTheAccountsFailures() {
        LoginThrottle throttle = throttle(3, 100);
        String email = UUID.randomUUID() + "@example.com";
        throttle.takeAttempt(email, "192.0.2.1", UNKNOWN_BROWSER);
        throttle.takeAttempt(email, "192.0.2.1", UNKNOWN_BROWSER);
        throttle.recordSuccess(email);

        throttle.takeAttempt(email, "192.0.2.1", UNKNOWN_BROWSER);

        assertThat(lockedFor(email, "192.0.2.4")).isEmpty();
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
        assertThat(lockedFor("someone@example.com", address)).as("log-ins are counted apart").isEmpty();

        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.takeRegistration(address)).hasValue(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(6));
        assertThat(throttle.takeRegistration(address)).isEmpty();
    }

    /**
     * Registrations and log-in attempts arriving at once, from many instances' threads, are each counted exactly once:
     * the limit lets exactly its number through, and nothing more is checked until the lock-out is over.
     */
    @Test
    void attemptsArrivingAtOnceAreEachCountedOnce() throws Exception {
        LoginThrottle throttle = throttle(5, 100);
        for (int round = 0; round < 5; round++) {
            String address = "192.0.2." + (int) (Math.random() * 250) + "-" + UUID.randomUUID();
            List<Optional<Duration>> taken = AtOnce.run(24, () -> throttle.takeRegistration(address));
            assertThat(taken.stream().filter(Optional::isEmpty).count()).as("registrations let through in round " + round)
                    .isEqualTo(10);

            String email = UUID.randomUUID() + "@example.com";
            List<Optional<Duration>> attempts = AtOnce.run(24, () -> throttle.takeAttempt(email, address, UNKNOWN_BROWSER));
            assertThat(attempts.stream().filter(Optional::isEmpty).count()).as("log-ins checked in round " + round)
                    .isEqualTo(5);
            assertThat(counted("account:" + email)).isEqualTo(5);
            assertThat(counted("address:" + address)).as("the address's count gives back the refused ones").isEqualTo(5);
        }
    }

    /**
     * An attempt is counted before its password is checked, and given back when the password was right: a shared
     * address whose buyers log in all day is never locked out, and one that reached its limit is let in again as soon
     * as an attempt is given back.
     */
    @Test
    void attemptsWithTheRightPasswordAreGivenBack() {
        LoginThrottle throttle = throttle(3, 4);
        String address = "203.0.113." + (int) (Math.random() * 200);
        for (int i = 0; i < 30; i++) {
            String buyer = UUID.randomUUID() + "@example.com";
            assertThat(throttle.takeAttempt(buyer, address, UNKNOWN_BROWSER)).as("log-in " + (i + 1)).isEmpty();
            throttle.giveBack(buyer, address, UNKNOWN_BROWSER);
        }
        String guessed = UUID.randomUUID() + "@example.com";
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.takeAttempt(guessed, address, UNKNOWN_BROWSER)).isEmpty();
        }
        String lastBuyer = UUID.randomUUID() + "@example.com";
        assertThat(throttle.takeAttempt(lastBuyer, address, UNKNOWN_BROWSER)).as("the fourth attempt is checked").isEmpty();
        assertThat(lockedFor("anyone@example.com", address)).as("and locks the address meanwhile").isPresent();
        throttle.giveBack(lastBuyer, address, UNKNOWN_BROWSER);
        assertThat(lockedFor("anyone@example.com", address)).as("until it turns out right").isEmpty();
        assertThat(throttle.takeAttempt(guessed, address, UNKNOWN_BROWSER)).as("the guessed account is locked out").isPresent();
    }

    /** How long the account or the address must still wait, as the log-in form would be told; nothing is counted. */
    private Optional<Duration> lockedFor(String email, String address) {
        ClientCounts counts = new ClientCounts(jdbc, transactions, clock);
        return Stream.of(counts.lockedFor("account:" + email), counts.lockedFor("address:" + ClientCounts.client(address)))
                .flatMap(Optional::stream).max(Comparator.naturalOrder());
    }

    private int counted(String key) {
        return jdbc.sql("SELECT counted FROM client_counts WHERE throttle_key = ?").param(key).query(Integer.class).single();
    }

    /** A count matters only within its window: one idle for a day is deleted, unless its lock-out still runs. */
    @Test
    void countsIdleForADayAreDeletedUnlessTheirLockOutStillRuns() {
        ClientCounts counts = new ClientCounts(jdbc, transactions, clock);
        String idle = "test-idle:" + UUID.randomUUID();
        String lockedOut = "test-locked:" + UUID.randomUUID();
        String recent = "test-recent:" + UUID.randomUUID();
        counts.take(idle, new ClientCounts.Limit(100, Duration.ofMinutes(15), Duration.ofMinutes(15)));
        counts.take(lockedOut, new ClientCounts.Limit(1, Duration.ofMinutes(15), Duration.ofDays(2)));
        clock.advance(Duration.ofHours(25));
        counts.take(recent, new ClientCounts.Limit(100, Duration.ofMinutes(15), Duration.ofMinutes(15)));

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
        throttle.takeAttempt(UUID.randomUUID() + "@example.com", network + ":0:0:0:1", UNKNOWN_BROWSER);
        throttle.takeAttempt(UUID.randomUUID() + "@example.com", network + "::2", UNKNOWN_BROWSER);
        throttle.takeAttempt(UUID.randomUUID() + "@example.com", "[" + network.toUpperCase() + ":ffff:0:0:3%eth0]", UNKNOWN_BROWSER);
        assertThat(lockedFor("anyone@example.com", network + "::abcd")).isPresent();
        assertThat(lockedFor("anyone@example.com", network.substring(0, network.length() - 1) + "2::1")).isEmpty();

        String forged = "x".repeat(400) + ", 198.51.100.7";
        for (int i = 0; i < 3; i++) {
            throttle.takeAttempt(UUID.randomUUID() + "@example.com", forged, UNKNOWN_BROWSER);
        }
        assertThat(lockedFor("anyone@example.com", forged)).isPresent();
        assertThat(lockedFor("anyone@example.com", "x".repeat(400))).isEmpty();
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
