package org.bookstore.store.common;

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
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counts of what one client (or one account) did within a window, kept in the database so that every instance of the
 * store sees the same counts: failed log-ins, registrations, new guest carts. A key that reaches its limit within the
 * window is locked out for a while. Keys are named by their user ({@code "registered:" + client(address)}).
 */
@Component
public class ClientCounts {

    /** At most {@code max} within {@code window}; the one that reaches it locks the key out for {@code lockout}. */
    public record Limit(int max, Duration window, Duration lockout) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public ClientCounts(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Takes one of the key's allowance for the window, or answers how long it must still wait once it has had it all.
     * Attempts sent at once are each counted exactly once, so they cannot all pass the check.
     */
    public Optional<Duration> take(String key, Limit limit) {
        // A key already locked out is answered from a plain read: a flood of refused attempts writes nothing.
        Optional<Duration> locked = lockedFor(key);
        if (locked.isPresent()) {
            return locked;
        }
        return counted(() -> transactions.execute(status -> count(key, limit)));
    }

    /**
     * Gives back one taken by {@link #take} that turned out not to count (a log-in attempt whose password was right),
     * and lifts the lock-out if the key is back under its limit. One statement, so it cannot lose a concurrent count.
     */
    public void giveBack(String key, Limit limit) {
        jdbc.sql("UPDATE client_counts SET counted = counted - 1,"
                        + " locked_until = CASE WHEN counted - 1 < ? THEN NULL ELSE locked_until END"
                        + " WHERE throttle_key = ? AND counted > 0")
                .params(limit.max(), key).update();
    }

    /** How long the key's lock-out still runs, if it is locked out. */
    public Optional<Duration> lockedFor(String key) {
        Instant now = clock.instant();
        return jdbc.sql("SELECT locked_until FROM client_counts WHERE throttle_key = ? AND locked_until > ?")
                .params(key, Timestamp.from(now))
                .query(Timestamp.class).optional()
                .map(until -> Duration.between(now, until.toInstant()));
    }

    /** Clears the key's count and lock-out (an account that logged in is no longer being guessed). */
    public void forget(String key) {
        jdbc.sql("DELETE FROM client_counts WHERE throttle_key = ?").param(key).update();
    }

    /**
     * Deletes the counts of keys idle for a day whose lock-out, if any, is over: a count matters only within its window
     * (minutes), and without this every address that ever failed a log-in or opened a cart would keep a row for good.
     * Run every hour on one instance ({@link IdleClientCounts}).
     */
    public void sweep() {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("DELETE FROM client_counts WHERE window_started < ? AND (locked_until IS NULL OR locked_until < ?)")
                .params(Timestamp.from(clock.instant().minus(Duration.ofDays(1))), now).update();
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
     * Adds one to the key's count in the current window, unless the key is locked out, in which case it answers how
     * long is left. The row is read once, under its lock, and the lock check and the count are
     * both decided from that one reading: attempts sent at once cannot slip between them. A row whose window is
     * over is started afresh by an update, never deleted, so counts another transaction just committed are never lost;
     * a lock-out still running is kept. The first row of a key is inserted, and an insert that loses the race fails on
     * the key, so the caller counts again and finds that row.
     */
    private Optional<Duration> count(String key, Limit limit) {
        Instant now = clock.instant();
        Optional<Counted> row = jdbc.sql("SELECT counted, window_started, locked_until FROM client_counts WHERE throttle_key = ? FOR UPDATE")
                .param(key)
                .query((rs, n) -> new Counted(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .optional();
        Instant lockedUntil = row.map(Counted::lockedUntil).filter(until -> until.isAfter(now)).orElse(null);
        if (lockedUntil != null) {
            return Optional.of(Duration.between(now, lockedUntil));
        }
        boolean inWindow = row.isPresent() && row.get().windowStarted().isAfter(now.minus(limit.window()));
        int counted = inWindow ? row.get().counted() + 1 : 1;
        if (counted >= limit.max()) {
            lockedUntil = now.plus(limit.lockout());
        }
        Timestamp until = lockedUntil == null ? null : Timestamp.from(lockedUntil);
        if (inWindow) {
            jdbc.sql("UPDATE client_counts SET counted = ?, locked_until = ? WHERE throttle_key = ?")
                    .params(counted, until, key).update();
        } else if (row.isPresent()) {
            jdbc.sql("UPDATE client_counts SET counted = ?, window_started = ?, locked_until = ? WHERE throttle_key = ?")
                    .params(counted, Timestamp.from(now), until, key).update();
        } else {
            jdbc.sql("INSERT INTO client_counts (throttle_key, counted, window_started, locked_until) VALUES (?, ?, ?, ?)")
                    .params(key, counted, Timestamp.from(now), until).update();
        }
        return Optional.empty();
    }

    private record Counted(int counted, Instant windowStarted, Instant lockedUntil) {
    }

    /**
     * What one client controls of an address: an IPv4 address, or the /64 network of an IPv6 one (a home or a rented
     * server is given a whole /64, so counting single IPv6 addresses would let one client count afresh at will).
     * Anything else (behind a proxy, a forwarded value need not be an address) is named by its digest, so a key never
     * outgrows its column. Parsed by hand: nothing here may ever look a name up.
     */
    public static String client(String address) {
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
