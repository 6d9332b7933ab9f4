package org.bookstore.store.accounts;

import java.time.Duration;
import java.util.Optional;
import org.bookstore.store.common.ClientCounts;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Counts log-in attempts that failed (or are being checked) per account (or per browser the account has logged in
 * from) and per client, and accounts registered per client (in the database, through
 * {@link ClientCounts}, so every instance of the store sees the same counts), and locks a key out for a while once it
 * has reached its limit within the window.
 */
@Component
class LoginThrottle {

    @ConfigurationProperties("bookstore.login")
    record Limits(int maxFailuresPerAccount, int maxFailuresPerAddress, int maxRegistrationsPerAddress, Duration window,
            Duration lockout) {
        Limits {
            maxFailuresPerAccount = maxFailuresPerAccount > 0 ? maxFailuresPerAccount : 5;
            maxFailuresPerAddress = maxFailuresPerAddress > 0 ? maxFailuresPerAddress : 20;
            maxRegistrationsPerAddress = maxRegistrationsPerAddress > 0 ? maxRegistrationsPerAddress : 10;
            window = window != null ? window : Duration.ofMinutes(15);
            lockout = lockout != null ? lockout : Duration.ofMinutes(15);
        }

        private ClientCounts.Limit of(int max) {
            return new ClientCounts.Limit(max, window, lockout);
        }
    }

    private final ClientCounts counts;
    private final Limits limits;

    LoginThrottle(ClientCounts counts, Limits limits) {
        this.counts = counts;
        this.limits = limits;
    }

    /**
     * Takes one log-in attempt from both the account's and the address's allowance before the password is checked, or
     * answers how long either must still wait. Taken first, so attempts sent at once cannot all be checked before any
     * is counted; an attempt that was not a wrong password is given back ({@link #giveBack}).
     */
    Optional<Duration> takeAttempt(String email, String address, Optional<String> knownDevice) {
        ClientCounts.Limit perAddress = limits.of(limits.maxFailuresPerAddress());
        Optional<Duration> addressWait = counts.take(addressKey(address), perAddress);
        if (addressWait.isPresent()) {
            return addressWait;
        }
        Optional<Duration> accountWait = counts.take(accountKey(email, knownDevice), limits.of(limits.maxFailuresPerAccount()));
        if (accountWait.isPresent()) {
            counts.giveBack(addressKey(address), perAddress);
        }
        return accountWait;
    }

    /** The attempt was not a wrong password (it logged in, or failed for another reason): it does not count. */
    void giveBack(String email, String address, Optional<String> knownDevice) {
        counts.giveBack(accountKey(email, knownDevice), limits.of(limits.maxFailuresPerAccount()));
        counts.giveBack(addressKey(address), limits.of(limits.maxFailuresPerAddress()));
    }

    /**
     * Takes one of the address's registrations for the window, or answers how long it must still wait once it has had
     * them all: each account costs a password hash and queues a welcome mail, so one client cannot make thousands.
     */
    Optional<Duration> takeRegistration(String address) {
        return counts.take(registrationKey(address), limits.of(limits.maxRegistrationsPerAddress()));
    }

    void recordSuccess(String email) {
        counts.forget(accountKey(email));
    }

    /** A log-in from a known browser: its own wrong passwords before it are forgotten too. */
    void recordSuccessOn(String knownDevice) {
        counts.forget(accountKey(null, Optional.of(knownDevice)));
    }

    /**
     * The account's allowance, or, from a browser the account has logged in from before ({@link KnownDevices}), that
     * browser's own: someone else's wrong passwords for the account do not lock its owner out of a browser they use.
     */
    private static String accountKey(String email, Optional<String> knownDevice) {
        return knownDevice.map(digest -> "device:" + digest).orElseGet(() -> accountKey(email));
    }

    private static String accountKey(String email) {
        String normalized = AccountRepository.normalizeEmail(email);
        return "account:" + (normalized.length() > 254 ? normalized.substring(0, 254) : normalized);
    }

    private static String registrationKey(String address) {
        return "registered:" + ClientCounts.client(address);
    }

    private static String addressKey(String address) {
        return "address:" + ClientCounts.client(address);
    }
}
