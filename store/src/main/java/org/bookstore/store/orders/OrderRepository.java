package org.bookstore.store.orders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.function.Function;
import java.util.Optional;
import org.bookstore.store.common.Money;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Orders and their lines. Carts are orders in status {@code cart}; the database allows one per buyer. */
@Repository
public class OrderRepository {

    /** An order's columns, in the order {@link #order} reads them by position. */
    private static final String ORDER_COLUMNS = "id, account_id, status, currency, created_at, updated_at, placed_at, live_attempt_id";
    /** The same columns of {@code orders o}, for the cart's query, which joins its lines. */
    private static final String CART_ORDER_COLUMNS = "o." + ORDER_COLUMNS.replace(", ", ", o.");

    private final JdbcClient jdbc;

    OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Order> findById(long id) {
        return jdbc.sql("SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = ?").param(id)
                .query(this::order).optional().map(this::finish);
    }

    public Optional<Order> findOpenCart(CartOwner owner) {
        return jdbc.sql("SELECT " + ORDER_COLUMNS + " FROM orders WHERE cart_key = ?").param(owner.cartKey())
                .query(this::order).optional().map(this::finish);
    }

    /** An open cart and the prices in it that changed since their books were added: what the cart page shows. */
    public record CartView(Order cart, List<PriceChange> priceChanges) {
    }

    /** The owner's open cart with its lines and price changes, in one query (the cart page's only one). */
    public Optional<CartView> openCartView(CartOwner owner) {
        return jdbc.sql("SELECT " + CART_ORDER_COLUMNS + ", l.book_id, l.title, l.unit_price_minor, l.quantity, l.previous_unit_price_minor"
                        + " FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id WHERE o.cart_key = ? ORDER BY l.added_at, l.id")
                .param(owner.cartKey())
                .query(rs -> {
                    Unfinished order = null;
                    List<OrderLine> lines = new ArrayList<>();
                    List<PriceChange> changes = new ArrayList<>();
                    while (rs.next()) {
                        if (order == null) {
                            order = order(rs, 0);
                        }
                        long bookId = rs.getLong(9);
                        if (rs.wasNull()) {
                            continue;
                        }
                        String title = rs.getString(10);
                        Money price = new Money(rs.getLong(11), order.currency());
                        lines.add(new OrderLine(bookId, title, price, rs.getInt(12)));
                        long before = rs.getLong(13);
                        if (!rs.wasNull() && before != price.minorUnits()) {
                            changes.add(new PriceChange(title, new Money(before, order.currency()), price));
                        }
                    }
                    return order == null ? Optional.<CartView>empty()
                            : Optional.of(new CartView(order.withLines().apply(List.copyOf(lines)), List.copyOf(changes)));
                });
    }

    /** How many books are in the owner's open cart: one query, for the header of every page. */
    public int itemsInOpenCart(CartOwner owner) {
        return jdbc.sql("SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.cart_key = ?")
                .param(owner.cartKey()).query(Integer.class).single();
    }

    /** The buyer's orders past the cart stage, newest first. */
    public List<Order> findPlacedByAccount(long accountId) {
        return jdbc.sql("SELECT " + ORDER_COLUMNS + " FROM orders WHERE account_id = ? AND status <> 'cart' ORDER BY placed_at DESC, id DESC")
                .param(accountId).query(this::order).list().stream().map(this::finish).toList();
    }

    /**
     * The id of the owner's open cart, creating it if there is none. Two requests racing to create it both get the
     * same cart: the loser of the insert hits the unique cart_key and reads the winner's row. Runs outside any
     * transaction so that the failed insert cannot poison one (PostgreSQL aborts a transaction on any error).
     */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public long openCart(CartOwner owner, Currency currency) {
        return openCart(owner, currency, () -> {});
    }

    /**
     * The owner's open cart, opened now if there is none; {@code beforeOpening} runs only when a new one is about to be
     * opened, and may refuse it by throwing, in which case nothing is written.
     */
    public long openCart(CartOwner owner, Currency currency, Runnable beforeOpening) {
        Optional<Long> existing = cartId(owner);
        if (existing.isPresent()) {
            return existing.get();
        }
        beforeOpening.run();
        try {
            jdbc.sql("INSERT INTO orders (account_id, guest_token, status, currency, cart_key) VALUES (?, ?, 'cart', ?, ?)")
                    .params(owner.accountId(), owner.guestToken(), currency.getCurrencyCode(), owner.cartKey())
                    .update();
        } catch (DuplicateKeyException raced) {
            // Another request opened it first; fall through and use theirs.
        }
        return cartId(owner).orElseThrow();
    }

    /** Locks the order's row until the transaction ends and returns it, whatever its status. */
    public Optional<Order> lock(long orderId) {
        return jdbc.sql("SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = ? FOR UPDATE")
                .param(orderId).query(this::order).optional().map(this::finishLocked);
    }

    /** The most entries of an order's timeline its buyer's page shows: the latest ones. */
    public static final int TIMELINE_SHOWN = 50;

    /**
     * The order's timeline as its buyer sees it (without the shop owner's own entries, such as disputes): its latest
     * {@value #TIMELINE_SHOWN} entries, oldest first. An order paid for again and again (each payment begun and
     * ended) gathers entries without end, and its page would grow with them.
     */
    public List<StatusChange> timeline(long orderId) {
        List<StatusChange> latest = new ArrayList<>(timeline(orderId, false, TIMELINE_SHOWN));
        Collections.reverse(latest);
        return latest;
    }

    /** How many entries of the order's timeline as its buyer sees it are older than those {@link #timeline} gives. */
    public int earlierTimelineEntries(long orderId) {
        return Math.max(0, jdbc.sql("SELECT COUNT(*) FROM order_status_changes WHERE order_id = ? AND internal = FALSE")
                .param(orderId).query(Integer.class).single() - TIMELINE_SHOWN);
    }

    /** Every entry of the order's timeline, for the back office. */
    public List<StatusChange> fullTimeline(long orderId) {
        return timeline(orderId, true, 0);
    }

    /**
     * A book's new price in every open cart that holds it and has no checkout under way (a checkout keeps the price it
     * started with); each line remembers the old price so the cart can tell the buyer. Returns how many carts changed.
     */
    public int repriceOpenCarts(long bookId, Money price) {
        return jdbc.sql("UPDATE order_lines SET previous_unit_price_minor = COALESCE(previous_unit_price_minor, unit_price_minor), "
                        + "unit_price_minor = ? WHERE book_id = ? AND unit_price_minor <> ? AND order_id IN "
                        + "(SELECT id FROM orders WHERE status = 'cart' AND live_attempt_id IS NULL AND currency = ?)")
                .params(price.minorUnits(), bookId, price.minorUnits(), price.currency().getCurrencyCode()).update();
    }

    /** A price that changed since the book was put in the cart: the title, the old price and the new one. */
    public record PriceChange(String title, Money before, Money now) {
    }

    /** Orders still waiting for their payment, placed before {@code before}, oldest first. */
    public List<Order> pendingSince(java.time.Instant before, int limit) {
        return jdbc.sql("SELECT " + ORDER_COLUMNS + " FROM orders WHERE status = 'pending' AND placed_at < ? ORDER BY placed_at, id LIMIT ?")
                .params(Timestamp.from(before), limit).query(this::order).list().stream().map(this::finish).toList();
    }

    /** The ids of guest carts opened before {@code openedBefore}, after {@code afterId} in order, at most {@code limit}. */
    public List<Long> guestCartsOpenedBefore(Instant openedBefore, long afterId, int limit) {
        return jdbc.sql("SELECT id FROM orders WHERE status = 'cart' AND account_id IS NULL AND created_at < ? AND id > ?"
                        + " ORDER BY id LIMIT ?")
                .params(Timestamp.from(openedBefore), afterId, limit).query(Long.class).list();
    }

    /**
     * Deletes a guest cart and its lines, if it is still one; false if it is not (bought by then, or referred to by
     * anything else, such as a checkout attempt, whose reference the database keeps).
     */
    public boolean deleteGuestCart(long orderId) {
        try {
            return jdbc.sql("DELETE FROM orders WHERE id = ? AND status = 'cart' AND account_id IS NULL").param(orderId).update() > 0;
        } catch (DataIntegrityViolationException referred) {
            return false;
        }
    }

    /** Whether the book was ever in a placed order (and so must be kept, archived rather than deleted). */
    public boolean everOrdered(long bookId) {
        return jdbc.sql("SELECT COUNT(*) FROM order_lines WHERE book_id = ?").param(bookId).query(Integer.class).single() > 0;
    }

    /** The timeline oldest first, or, with a {@code latest} limit, that many of its latest entries, latest first. */
    private List<StatusChange> timeline(long orderId, boolean withInternal, int latest) {
        return jdbc.sql("SELECT from_status, to_status, changed_at, cause, detail FROM order_status_changes WHERE order_id = ?"
                        + (withInternal ? "" : " AND internal = FALSE")
                        + (latest > 0 ? " ORDER BY changed_at DESC, id DESC LIMIT " + latest : " ORDER BY changed_at, id"))
                .param(orderId)
                .query((rs, row) -> new StatusChange(OrderStatus.fromCode(rs.getString("from_status")),
                        OrderStatus.fromCode(rs.getString("to_status")), instant(rs.getTimestamp("changed_at")),
                        rs.getString("cause"), rs.getString("detail")))
                .list();
    }

    /** Locks the order's row until the transaction ends and returns it, if it is still an open cart. */
    public Optional<Order> lockCart(long orderId) {
        return jdbc.sql("SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = ? AND status = 'cart' FOR UPDATE")
                .param(orderId).query(this::order).optional().map(this::finishLocked);
    }

    /** Sets a line's quantity, adding the line with its unit price snapshot if the book is not in the order yet. */
    public void putLine(long orderId, long bookId, String title, Money unitPrice, int quantity) {
        int updated = jdbc.sql("UPDATE order_lines SET quantity = ? WHERE order_id = ? AND book_id = ?")
                .params(quantity, orderId, bookId).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO order_lines (order_id, book_id, title, unit_price_minor, quantity) VALUES (?, ?, ?, ?, ?)")
                    .params(orderId, bookId, title, unitPrice.minorUnits(), quantity).update();
        }
        touch(orderId);
    }

    public boolean removeLine(long orderId, long bookId) {
        boolean removed = jdbc.sql("DELETE FROM order_lines WHERE order_id = ? AND book_id = ?")
                .params(orderId, bookId).update() > 0;
        touch(orderId);
        return removed;
    }

    public void delete(long orderId) {
        jdbc.sql("DELETE FROM orders WHERE id = ?").param(orderId).update();
    }

    private void touch(long orderId) {
        jdbc.sql("UPDATE orders SET updated_at = CURRENT_TIMESTAMP, version = version + 1 WHERE id = ?").param(orderId).update();
    }

    private Optional<Long> cartId(CartOwner owner) {
        return jdbc.sql("SELECT id FROM orders WHERE cart_key = ?").param(owner.cartKey()).query(Long.class).optional();
    }

    /**
     * An order's row, its lines still to read. They are read once the row's result set is closed: read inside the row
     * mapper, outside a transaction, they would take a second pooled connection while the first is held, and a pool's
     * worth of such requests at once would wait on each other for ever.
     */
    private record Unfinished(long id, Currency currency, Function<List<OrderLine>, Order> withLines) {
    }

    /**
     * An order from the first eight columns of a row, in {@link #ORDER_COLUMNS}' order. Read by position: H2 looks a
     * column's name up in a map it builds for every result set, 7% of the cart page's time in a profile.
     */
    private Unfinished order(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong(1);
        long accountId = rs.getLong(2);
        Long account = rs.wasNull() ? null : accountId;
        OrderStatus status = OrderStatus.fromCode(rs.getString(3));
        Currency currency = Currency.getInstance(rs.getString(4).trim());
        var created = instant(rs.getTimestamp(5));
        var updated = instant(rs.getTimestamp(6));
        var placed = instant(rs.getTimestamp(7));
        long liveAttempt = rs.getLong(8);
        Long liveAttemptId = rs.wasNull() ? null : liveAttempt;
        return new Unfinished(id, currency, lines -> new Order(id, account, status, currency, lines, created, updated, placed, liveAttemptId));
    }

    private Order finish(Unfinished order) {
        return order.withLines().apply(lines(order.id(), order.currency(), ""));
    }

    /**
     * For an order whose row this transaction has just locked: its lines are locked too and read as last committed,
     * so a change computed from them (one more copy) can never be computed from what another tab saw.
     */
    private Order finishLocked(Unfinished order) {
        return order.withLines().apply(lines(order.id(), order.currency(), " FOR UPDATE"));
    }

    private List<OrderLine> lines(long orderId, Currency currency, String locking) {
        return jdbc.sql("SELECT book_id, title, unit_price_minor, quantity FROM order_lines WHERE order_id = ? ORDER BY added_at, id" + locking)
                .param(orderId)
                .query((rs, row) -> new OrderLine(rs.getLong(1), rs.getString(2), new Money(rs.getLong(3), currency), rs.getInt(4)))
                .list();
    }

    private static java.time.Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
