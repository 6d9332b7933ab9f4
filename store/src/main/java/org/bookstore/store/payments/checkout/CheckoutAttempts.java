package org.bookstore.store.payments.checkout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.function.Function;
import java.util.Optional;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.PayableOrder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The checkout attempts table: one row per try at paying an order, with the lines it charges for. */
@Repository
public class CheckoutAttempts {

    private static final String COLUMNS = "id, order_id, account_id, integration, status, idempotency_key, amount_minor, "
            + "currency, contents_digest, customer_id, public_url, expires_at, checkout_session_id, checkout_url, "
            + "payment_intent_id, stripe_status, charge_id, amount_received_minor, failure_message, close_reason, seen_at, "
            + "created_at, updated_at, paid_at";

    private final JdbcClient jdbc;

    CheckoutAttempts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a new live attempt; fails with a duplicate key if the order already has one. Returns its id. */
    long insert(long orderId, long accountId, CheckoutAttempt.Integration integration, String idempotencyKey, Money amount,
            String digest, String customerId, String publicUrl, Instant expiresAt, Instant now, List<PayableOrder.Line> lines) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO checkout_attempts (order_id, account_id, integration, status, live_order_id, idempotency_key, "
                        + "amount_minor, currency, contents_digest, customer_id, public_url, expires_at, created_at, updated_at) "
                        + "VALUES (?, ?, ?, 'creating', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(orderId, accountId, integration.code(), orderId, idempotencyKey, amount.minorUnits(),
                        amount.currency().getCurrencyCode(), digest, customerId, publicUrl, Timestamp.from(expiresAt),
                        Timestamp.from(now), Timestamp.from(now))
                .update(key, "id");
        long id = key.getKeyAs(Number.class).longValue();
        int position = 0;
        for (PayableOrder.Line line : lines) {
            jdbc.sql("INSERT INTO checkout_attempt_lines (attempt_id, position, book_id, title, unit_price_minor, quantity) "
                            + "VALUES (?, ?, ?, ?, ?, ?)")
                    .params(id, position++, line.bookId(), line.title(), line.unitPrice().minorUnits(), line.quantity())
                    .update();
        }
        return id;
    }

    public Optional<CheckoutAttempt> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM checkout_attempts WHERE id = ?").param(id).query(this::attempt).optional().map(this::finish);
    }

    /** Locks the attempt's row until the transaction ends: every change to an attempt happens under this lock. */
    Optional<CheckoutAttempt> lock(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM checkout_attempts WHERE id = ? FOR UPDATE").param(id).query(this::attempt).optional().map(this::finish);
    }

    public Optional<CheckoutAttempt> liveFor(long orderId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM checkout_attempts WHERE live_order_id = ?").param(orderId)
                .query(this::attempt).optional().map(this::finish);
    }

    /** The order's live attempt, else its most recent one. */
    public Optional<CheckoutAttempt> latestFor(long orderId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM checkout_attempts WHERE order_id = ? "
                        + "ORDER BY CASE WHEN status = 'paid' THEN 0 WHEN live_order_id IS NOT NULL THEN 1 ELSE 2 END, id DESC LIMIT 1")
                .param(orderId).query(this::attempt).list().stream().findFirst().map(this::finish);
    }

    public Optional<CheckoutAttempt> bySession(String sessionId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM checkout_attempts WHERE checkout_session_id = ?").param(sessionId)
                .query(this::attempt).optional().map(this::finish);
    }

    public Optional<CheckoutAttempt> byPaymentIntent(String paymentIntentId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM checkout_attempts WHERE payment_intent_id = ?").param(paymentIntentId)
                .query(this::attempt).optional().map(this::finish);
    }

    /** Live attempts in {@code status} last changed before {@code before}, oldest first. */
    List<CheckoutAttempt> liveIn(AttemptStatus status, Instant before, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM checkout_attempts WHERE status = ? AND updated_at < ? ORDER BY updated_at LIMIT ?")
                .params(status.code(), Timestamp.from(before), limit).query(this::attempt).list().stream().map(this::finish).toList();
    }

    /** Live attempts whose Stripe object should have expired by {@code now}. */
    List<CheckoutAttempt> liveExpiredBefore(Instant now, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM checkout_attempts WHERE live_order_id IS NOT NULL AND status <> 'creating' "
                        + "AND expires_at < ? ORDER BY expires_at LIMIT ?")
                .params(Timestamp.from(now), limit).query(this::attempt).list().stream().map(this::finish).toList();
    }

    void recordSession(long id, String sessionId, String url, Instant now) {
        jdbc.sql("UPDATE checkout_attempts SET checkout_session_id = ?, checkout_url = ?, status = 'open', updated_at = ? "
                        + "WHERE id = ? AND status = 'creating'")
                .params(sessionId, url, Timestamp.from(now), id).update();
    }

    void recordPaymentIntent(long id, String paymentIntentId, Instant now) {
        jdbc.sql("UPDATE checkout_attempts SET payment_intent_id = ?, status = CASE WHEN status = 'creating' THEN 'open' ELSE status END, "
                        + "updated_at = ? WHERE id = ? AND payment_intent_id IS NULL")
                .params(paymentIntentId, Timestamp.from(now), id).update();
    }

    /** Writes what Stripe said and the status it leads to; a final status frees the order for another attempt. */
    void update(CheckoutAttempt attempt, Instant now) {
        AttemptStatus status = attempt.status();
        jdbc.sql("UPDATE checkout_attempts SET status = ?, live_order_id = ?, payment_intent_id = ?, stripe_status = ?, "
                        + "charge_id = ?, amount_received_minor = ?, failure_message = ?, close_reason = ?, seen_at = ?, "
                        + "updated_at = ?, paid_at = ?, closed_at = ? WHERE id = ?")
                .params(status.code(), status.isFinal() ? null : attempt.orderId(), attempt.paymentIntentId(),
                        attempt.stripeStatus(), attempt.chargeId(),
                        attempt.amountReceived() == null ? null : attempt.amountReceived().minorUnits(), attempt.failureMessage(),
                        attempt.closeReason(), timestamp(attempt.seenAt()), Timestamp.from(now), timestamp(attempt.paidAt()),
                        status == AttemptStatus.CLOSED ? Timestamp.from(now) : null, attempt.id())
                .update();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    /**
     * An attempt's row, its lines still to read once the row's result set is closed (read inside the row mapper, outside
     * a transaction, they would hold a second pooled connection while the first is held).
     */
    private record Unfinished(long id, Currency currency, Function<List<PayableOrder.Line>, CheckoutAttempt> withLines) {
    }

    private CheckoutAttempt finish(Unfinished attempt) {
        return attempt.withLines().apply(lines(attempt.id(), attempt.currency()));
    }

    private Unfinished attempt(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong("id");
        Currency currency = Currency.getInstance(rs.getString("currency").trim());
        long received = rs.getLong("amount_received_minor");
        Money amountReceived = rs.wasNull() ? null : new Money(received, currency);
        CheckoutAttempt withoutLines = new CheckoutAttempt(id, rs.getLong("order_id"), rs.getLong("account_id"),
                CheckoutAttempt.Integration.fromCode(rs.getString("integration")), AttemptStatus.fromCode(rs.getString("status")),
                rs.getString("idempotency_key"), new Money(rs.getLong("amount_minor"), currency), rs.getString("contents_digest"),
                rs.getString("customer_id"), rs.getString("public_url"), instant(rs.getTimestamp("expires_at")),
                rs.getString("checkout_session_id"), rs.getString("checkout_url"), rs.getString("payment_intent_id"),
                rs.getString("stripe_status"), rs.getString("charge_id"), amountReceived, rs.getString("failure_message"),
                rs.getString("close_reason"), instant(rs.getTimestamp("seen_at")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")), instant(rs.getTimestamp("paid_at")), List.of());
        return new Unfinished(id, currency, withoutLines::withLines);
    }

    private List<PayableOrder.Line> lines(long attemptId, Currency currency) {
        return jdbc.sql("SELECT book_id, title, unit_price_minor, quantity FROM checkout_attempt_lines WHERE attempt_id = ? ORDER BY position")
                .param(attemptId)
                .query((rs, row) -> new PayableOrder.Line(rs.getLong("book_id"), rs.getString("title"),
                        new Money(rs.getLong("unit_price_minor"), currency), rs.getInt("quantity")))
                .list();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
