package org.bookstore.store.orders;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import org.bookstore.store.common.Money;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every placed order for the back office, newest first, a page at a time with keyset paging: a page starts after (or
 * ends before) the order on the edge of the page seen, so a page deep in the list costs what the first does and orders
 * arriving meanwhile never shift it. Filtered by status, placing date and a search.
 */
@Component
public class OrderSearch {

    private final JdbcClient jdbc;

    OrderSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What to look for: any of these may be null. {@code orderIds} limits the search to those orders (e.g. the ones a
     * Stripe id belongs to); {@code email} matches the buyer's email exactly or as its start.
     */
    public record Query(OrderStatus status, Instant from, Instant until, Collection<Long> orderIds, String email) {
    }

    /** The position of an order in the list: when it was placed, then its id. */
    public record Cursor(Instant placedAt, long id) {

        public String token() {
            return placedAt.toString() + "_" + id;
        }

        /** Null for a token that is not one this list made. */
        public static Cursor parse(String token) {
            if (token == null || !token.matches("[0-9T:.Z-]{10,40}_\\d{1,18}")) {
                return null;
            }
            try {
                int split = token.lastIndexOf('_');
                return new Cursor(Instant.parse(token.substring(0, split)), Long.parseLong(token.substring(split + 1)));
            } catch (RuntimeException notOurs) {
                return null;
            }
        }
    }

    public record Row(long id, Instant placedAt, String buyerEmail, String buyerName, OrderStatus status, Money total, int items) {
    }

    /** A page; {@code newer}/{@code older} are the cursors for the pages either side, null at either end. */
    public record Page(List<Row> rows, Cursor newer, Cursor older) {
    }

    /** One order's row, with its buyer. */
    public java.util.Optional<Row> row(long orderId) {
        return jdbc.sql("SELECT o.id, o.placed_at, o.created_at, o.status, o.currency, a.email, a.name, "
                        + "(SELECT COALESCE(SUM(l.unit_price_minor * l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS total, "
                        + "(SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS items "
                        + "FROM orders o LEFT JOIN accounts a ON a.id = o.account_id WHERE o.id = ?")
                .param(orderId)
                .query((rs, n) -> new Row(rs.getLong("id"), (rs.getTimestamp("placed_at") != null ? rs.getTimestamp("placed_at")
                        : rs.getTimestamp("created_at")).toInstant(), rs.getString("email"), rs.getString("name"),
                        OrderStatus.fromCode(rs.getString("status")),
                        new Money(rs.getLong("total"), Currency.getInstance(rs.getString("currency").trim())), rs.getInt("items")))
                .optional();
    }

    /** Orders placed per day since {@code since} are counted by the payments' takings; this counts every placed order. */
    public long placedSince(Instant since) {
        return jdbc.sql("SELECT COUNT(*) FROM orders WHERE status <> 'cart' AND placed_at >= ?").param(Timestamp.from(since))
                .query(Long.class).single();
    }

    /** The page after {@code after} (older orders), or before {@code before} (newer ones); neither: the newest. */
    public Page find(Query query, Cursor after, Cursor before, int size) {
        StringBuilder where = new StringBuilder(" WHERE o.status <> 'cart' AND o.placed_at IS NOT NULL");
        List<Object> params = new ArrayList<>();
        if (query.status() != null) {
            where.append(" AND o.status = ?");
            params.add(query.status().code());
        }
        if (query.from() != null) {
            where.append(" AND o.placed_at >= ?");
            params.add(Timestamp.from(query.from()));
        }
        if (query.until() != null) {
            where.append(" AND o.placed_at < ?");
            params.add(Timestamp.from(query.until()));
        }
        if (query.orderIds() != null) {
            if (query.orderIds().isEmpty()) {
                return new Page(List.of(), null, null);
            }
            where.append(" AND o.id IN (").append(String.join(", ", Collections.nCopies(query.orderIds().size(), "?"))).append(")");
            params.addAll(query.orderIds());
        }
        if (query.email() != null && !query.email().isBlank()) {
            String email = query.email().strip().toLowerCase(Locale.ROOT);
            where.append(" AND (a.email = ? OR a.email LIKE ? ESCAPE '\\')");
            params.add(email);
            params.add(email.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        boolean backwards = before != null && after == null;
        Cursor edge = backwards ? before : after;
        if (edge != null) {
            where.append(backwards ? " AND (o.placed_at > ? OR (o.placed_at = ? AND o.id > ?))"
                    : " AND (o.placed_at < ? OR (o.placed_at = ? AND o.id < ?))");
            params.add(Timestamp.from(edge.placedAt()));
            params.add(Timestamp.from(edge.placedAt()));
            params.add(edge.id());
        }
        String direction = backwards ? "ASC" : "DESC";
        params.add(size + 1);
        List<Row> rows = new ArrayList<>(jdbc.sql("SELECT o.id, o.placed_at, o.status, o.currency, a.email, a.name, "
                        + "(SELECT COALESCE(SUM(l.unit_price_minor * l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS total, "
                        + "(SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS items "
                        + "FROM orders o LEFT JOIN accounts a ON a.id = o.account_id" + where
                        + " ORDER BY o.placed_at " + direction + ", o.id " + direction + " LIMIT ?")
                .params(params)
                .query((rs, row) -> new Row(rs.getLong("id"), rs.getTimestamp("placed_at").toInstant(), rs.getString("email"),
                        rs.getString("name"), OrderStatus.fromCode(rs.getString("status")),
                        new Money(rs.getLong("total"), Currency.getInstance(rs.getString("currency").trim())), rs.getInt("items")))
                .list());
        boolean more = rows.size() > size;
        if (more) {
            rows.remove(rows.size() - 1);
        }
        if (backwards) {
            Collections.reverse(rows);
        }
        if (rows.isEmpty()) {
            return new Page(rows, null, null);
        }
        Cursor first = new Cursor(rows.get(0).placedAt(), rows.get(0).id());
        Cursor last = new Cursor(rows.get(rows.size() - 1).placedAt(), rows.get(rows.size() - 1).id());
        boolean newerExist = backwards ? more : edge != null;
        boolean olderExist = backwards || more;
        return new Page(rows, newerExist ? first : null, olderExist ? last : null);
    }
}
