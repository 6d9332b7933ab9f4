package org.bookstore.store.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counts failed log-ins per account and per client address, and accounts registered per client address, in the
 * database (so every instance of the store sees the same counts), and locks a key out for a while once it has reached
 * its limit within the window.
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
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Limits limits;
    private final Clock clock;

    LoginThrottle(JdbcClient jdbc, TransactionTemplate transactions, Limits limits, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.limits = limits;
        this.clock = clock;
    }

    /** How long the account or the address must still wait, if either is locked out. */
    Optional<Duration> lockedFor(String email, String address) {
        Instant now = clock.instant();
        return jdbc.sql("SELECT MAX(locked_until) FROM login_failures WHERE throttle_key IN (?, ?) AND locked_until > ?")
                .params(accountKey(email), addressKey(address), Timestamp.from(now))
                .query(Timestamp.class).optional()
                .map(until -> Duration.between(now, until.toInstant()));
    }

    void recordFailure(String email, String address) {
        record(accountKey(email), limits.maxFailuresPerAccount());
        record(addressKey(address), limits.maxFailuresPerAddress());
    }

    /**
     * Takes one of the address's registrations for the window, or answers how long it must still wait once it has had
     * them all: each account costs a password hash and queues a welcome mail, so one client cannot make thousands.
     * The count is checked and moved under the row's lock, so registrations sent at once cannot all pass the check.
     */
    Optional<Duration> takeRegistration(String address) {
        String key = registrationKey(address);
        return counted(() -> transactions.execute(status -> count(key, limits.maxRegistrationsPerAddress(), true)));
    }

    void recordSuccess(String email) {
        jdbc.sql("DELETE FROM login_failures WHERE throttle_key = ?").param(accountKey(email)).update();
    }

    private void record(String key, int maxFailures) {
        counted(() -> transactions.execute(status -> count(key, maxFailures, false)));
    }

    /**
     * Runs a count in its own transaction, again if another one made the key's first row at the same moment (the
     * insert then fails on the key, and the next try finds that row and waits for its lock).
     */
    private static <T> T counted(Supplier<T> count) {
        for (int attempt = 1; ; attempt++) {
            try {
                return count.get();
            } catch (DuplicateKeyException raced) {
                if (attempt == 5) {
                    throw raced;
                }
            }
        }
    }

    /**
     * Adds one to the key's count in the current window, unless {@code refuseWhileLocked} and the key is locked out, in
     * which case it answers how long is left. The row is read once, under its lock, and the lock check and the count are
     * both decided from that one reading: registrations sent at once cannot slip between them. A row whose window is
     * over is started afresh by an update, never deleted, so counts another transaction just committed are never lost;
     * a lock-out still running is kept. The first row of a key is inserted, and an insert that loses the race fails on
     * the key, so the caller counts again and finds that row.
     */
    private Optional<Duration> count(String key, int max, boolean refuseWhileLocked) {
        Instant now = clock.instant();
        Optional<Counted> row = jdbc.sql("SELECT failures, window_started, locked_until FROM login_failures WHERE throttle_key = ? FOR UPDATE")
                .param(key)
                .query((rs, n) -> new Counted(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .optional();
        Instant lockedUntil = row.map(Counted::lockedUntil).filter(until -> until.isAfter(now)).orElse(null);
        if (refuseWhileLocked && lockedUntil != null) {
            return Optional.of(Duration.between(now, lockedUntil));
        }
        boolean inWindow = row.isPresent() && row.get().windowStarted().isAfter(now.minus(limits.window()));
        int failures = inWindow ? row.get().failures() + 1 : 1;
        if (failures >= max) {
            lockedUntil = now.plus(limits.lockout());
        }
        Timestamp until = lockedUntil == null ? null : Timestamp.from(lockedUntil);
        if (inWindow) {
            jdbc.sql("UPDATE login_failures SET failures = ?, locked_until = ? WHERE throttle_key = ?")
                    .params(failures, until, key).update();
        } else if (row.isPresent()) {
            jdbc.sql("UPDATE login_failures SET failures = ?, window_started = ?, locked_until = ? WHERE throttle_key = ?")
                    .params(failures, Timestamp.from(now), until, key).update();
        } else {
            jdbc.sql("INSERT INTO login_failures (throttle_key, failures, window_started, locked_until) VALUES (?, ?, ?, ?)")
                    .params(key, failures, Timestamp.from(now), until).update();
        }
        return Optional.empty();
    }

    private record Counted(int failures, Instant windowStarted, Instant lockedUntil) {
    }

    private static String accountKey(String email) {
        String normalized = AccountRepository.normalizeEmail(email);
        return "account:" + (normalized.length() > 254 ? normalized.substring(0, 254) : normalized);
    }

    private static String registrationKey(String address) {
        return "registered:" + client(address);
    }

    private static String addressKey(String address) {
        return "address:" + client(address);
    }

    /**
     * What one client controls of an address: an IPv4 address, or the /64 network of an IPv6 one (a home or a rented
     * server is given a whole /64, so counting single IPv6 addresses would let one client count afresh at will).
     * Anything else (behind a proxy, a forwarded value need not be an address) is named by its digest, so a key never
     * outgrows its column. Parsed by hand: nothing here may ever look a name up.
     */
    static String client(String address) {
        if (address == null || address.isEmpty()) {
            return "unknown";
        }
        if (address.indexOf(':') < 0) {
            return address.length() <= 64 && address.matches("[0-9A-Za-z.\\-]+") ? address : digest(address);
        }
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        String[] halves = literal.split("::", -1);
        if (halves.length > 2 || literal.length() > 45) {
            return digest(address);
        }
        List<String> head = groups(halves[0]);
        List<String> tail = halves.length == 2 ? groups(halves[1]) : List.of();
        if (head == null || tail == null || (halves.length == 1 ? head.size() != 8 : head.size() + tail.size() > 7)) {
            return digest(address);
        }
        List<String> all = new ArrayList<>(head);
        while (all.size() + tail.size() < 8) {
            all.add("0");
        }
        all.addAll(tail);
        return String.join(":", all.subList(0, 4)) + "::/64";
    }

    /** The groups of one side of an IPv6 address, each in lower case without leading zeros; null if one is not hex. */
    private static List<String> groups(String side) {
        List<String> groups = new ArrayList<>();
        if (side.isEmpty()) {
            return groups;
        }
        for (String group : side.split(":", -1)) {
            if (!group.matches("[0-9A-Fa-f]{1,4}")) {
                return null;
            }
            groups.add(Integer.toHexString(Integer.parseInt(group, 16)));
        }
        return groups;
    }

    private static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
