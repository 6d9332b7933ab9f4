package org.bookstore.store.payments.refunds;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;
import java.util.Optional;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.PayableOrder;
import org.bookstore.store.payments.RefundFailed;
import org.bookstore.store.payments.RefundIssued;
import org.bookstore.store.payments.RefundSucceeded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The refunds table, and the one place a refund's state changes: in a transaction under the row lock of the paid
 * checkout attempt it refunds (so refunds of one payment, and the payment itself, change one at a time on any
 * instance), publishing the orders module's events in the same transaction. Never calls Stripe.
 */
@Component
public class RefundLedger {

    private static final Logger log = LoggerFactory.getLogger(RefundLedger.class);
    private static final String COLUMNS = "id, order_id, attempt_id, refund_id, amount_minor, currency, reason, status, failure_reason, "
            + "refused_message, announced, origin, request_token, requested_by, restock, tries, look_first, created_at, updated_at, resolved_at";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RefundLedger(JdbcClient jdbc, TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    /** What a back-office request asks for: checked against what can still be refunded before anything is recorded. */
    public record Ask(long orderId, Money amount, List<PayableOrder.Line> lines, boolean restock, String reason, String token,
            String requestedBy) {
    }

    /** Refused before Stripe is asked: nothing was recorded. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    public Optional<PaidCharge> paidCharge(long orderId) {
        return jdbc.sql("SELECT id, order_id, payment_intent_id, charge_id, amount_received_minor, currency FROM checkout_attempts "
                        + "WHERE order_id = ? AND status = 'paid'")
                .param(orderId).query(RefundLedger::paidCharge).list().stream().findFirst();
    }

    /** The paid attempt a Stripe refund or dispute is about: its charge or PaymentIntent must be the one recorded. */
    public Optional<PaidCharge> paidChargeOf(String chargeId, String paymentIntentId) {
        List<PaidCharge> found = jdbc.sql("SELECT id, order_id, payment_intent_id, charge_id, amount_received_minor, currency "
                        + "FROM checkout_attempts WHERE status = 'paid' AND (charge_id = ? OR payment_intent_id = ?)")
                .params(chargeId, paymentIntentId).query(RefundLedger::paidCharge).list();
        return found.stream().filter(paid -> (chargeId == null || chargeId.equals(paid.chargeId()))
                && (paymentIntentId == null || paymentIntentId.equals(paid.paymentIntentId()))).findFirst();
    }

    /**
     * Records a back-office request as {@code sending}, or returns the one already recorded under the same form token
     * (a double submit). Refused, recording nothing, if it asks for more than was captured less what is refunded or
     * being refunded, or if its form token was already used for another order's refund.
     */
    public RefundRecord record(Ask ask) {
        return transactions.execute(status -> {
            PaidCharge paid = paidCharge(ask.orderId()).orElseThrow(() -> new Refused(
                    "Order #" + ask.orderId() + " has not been paid, so there is nothing to refund."));
            lockAttempt(paid.attemptId());
            Optional<RefundRecord> same = byToken(ask.token());
            if (same.isPresent() && same.get().orderId() != ask.orderId()) {
                throw new Refused("That refund form was made for order #" + same.get().orderId()
                        + ", not this one, so nothing was refunded. Fill in this order's own refund form.");
            }
            if (same.isPresent()) {
                return same.get();
            }
            if (!ask.amount().currency().equals(paid.received().currency())) {
                throw new Refused("The refund must be in " + paid.received().currency().getCurrencyCode() + ", the currency the order was paid in.");
            }
            Money left = refundable(paid);
            if (ask.amount().minorUnits() > left.minorUnits()) {
                throw new Refused("You can refund at most " + left.display() + " of this order (" + paid.received().display()
                        + " was paid" + (left.equals(paid.received()) ? "" : ", the rest is refunded or being refunded")
                        + "). Nothing was refunded.");
            }
            Instant now = clock.instant();
            KeyHolder key = new GeneratedKeyHolder();
            jdbc.sql("INSERT INTO refunds (order_id, attempt_id, amount_minor, currency, reason, status, origin, request_token, "
                            + "requested_by, restock, tries, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'sending', 'store', ?, ?, ?, 1, ?, ?)")
                    .params(ask.orderId(), paid.attemptId(), ask.amount().minorUnits(), ask.amount().currency().getCurrencyCode(),
                            ask.reason(), ask.token(), ask.requestedBy(), ask.restock(), Timestamp.from(now), Timestamp.from(now))
                    .update(key, "id");
            long id = key.getKeyAs(Number.class).longValue();
            for (PayableOrder.Line line : ask.lines()) {
                jdbc.sql("INSERT INTO refund_lines (refund_row_id, book_id, title, unit_price_minor, quantity) VALUES (?, ?, ?, ?, ?)")
                        .params(id, line.bookId(), line.title(), line.unitPrice().minorUnits(), line.quantity()).update();
            }
            return find(id).orElseThrow();
        });
    }

    /** What can still be refunded: what was captured, less refunds that succeeded, are under way or unanswered. */
    public Money refundable(PaidCharge paid) {
        long committed = jdbc.sql("SELECT COALESCE(SUM(amount_minor), 0) FROM refunds WHERE attempt_id = ? AND status IN "
                        + "('sending', 'pending', 'requires_action', 'succeeded')")
                .param(paid.attemptId()).query(Long.class).single();
        return new Money(Math.max(0, paid.received().minorUnits() - committed), paid.received().currency());
    }

    /** Copies of each book already refunded by lines (refunds that did not fail). */
    public java.util.Map<Long, Integer> refundedCopies(long attemptId) {
        java.util.Map<Long, Integer> copies = new java.util.HashMap<>();
        jdbc.sql("SELECT l.book_id, SUM(l.quantity) AS copies FROM refund_lines l JOIN refunds r ON r.id = l.refund_row_id "
                        + "WHERE r.attempt_id = ? AND r.status IN ('sending', 'pending', 'requires_action', 'succeeded') GROUP BY l.book_id")
                .param(attemptId).query((rs, row) -> copies.put(rs.getLong("book_id"), rs.getInt("copies"))).list();
        return copies;
    }

    /** Stripe refused the request (it asked for too much, or the charge cannot be refunded): nothing was refunded. */
    public void refused(long id, String message) {
        jdbc.sql("UPDATE refunds SET status = 'refused', refused_message = ?, updated_at = ? WHERE id = ? AND status = 'sending'")
                .params(truncate(message, 1000), Timestamp.from(clock.instant()), id).update();
    }

    /** Stripe failed in a way that may have made the refund anyway: look for it before asking again under a new key. */
    public void lookFirst(long id) {
        jdbc.sql("UPDATE refunds SET look_first = TRUE, updated_at = ? WHERE id = ? AND status = 'sending'")
                .params(Timestamp.from(clock.instant()), id).update();
    }

    /**
     * Nothing was found at Stripe after a failed try, long enough after it: the next try goes under a new idempotency
     * key, but only if the request is still exactly as it was read ({@code looked}: the same try, flag and time of the
     * last send). Otherwise another sender (a second click, another tab or instance) moved it on or sent it meanwhile,
     * and the request is returned as that sender left it, so this one sends under the other's key: a new key for each
     * of them, or while the other's try is under way, would make two refunds.
     */
    public RefundRecord nextTry(RefundRecord looked) {
        jdbc.sql("UPDATE refunds SET look_first = FALSE, tries = tries + 1, updated_at = ? "
                        + "WHERE id = ? AND status = 'sending' AND look_first = ? AND tries = ? AND updated_at = ?")
                .params(Timestamp.from(clock.instant()), looked.id(), looked.lookFirst(), looked.tries(), Timestamp.from(looked.updatedAt()))
                .update();
        return find(looked.id()).orElseThrow();
    }

    /** The request is about to be sent again under its present key: when it was last sent is now. */
    public RefundRecord sending(RefundRecord request) {
        jdbc.sql("UPDATE refunds SET updated_at = ? WHERE id = ? AND status = 'sending'")
                .params(Timestamp.from(clock.instant()), request.id()).update();
        return find(request.id()).orElseThrow();
    }

    /**
     * Applies Stripe's current state of a refund of {@code paid}: the store's own request (by its id, or by the request
     * number in its metadata, on this very charge) or a refund made outside the store, recorded now.
     */
    public RefundRecord apply(PaidCharge paid, RefundState seen, String cause) {
        return transactions.execute(status -> {
            lockAttempt(paid.attemptId());
            Optional<RefundRecord> known = byRefundId(seen.id()).or(() -> ownRequest(paid, seen));
            boolean isNew = known.isEmpty() || known.get().refundId() == null;
            RefundRecord before = known.orElseGet(() -> insertOutside(paid, seen));
            RefundDecision.Decision decision = RefundDecision.decide(known.isPresent() && before.refundId() != null ? before.status() : null,
                    before.announced(), seen);
            jdbc.sql("UPDATE refunds SET refund_id = ?, status = ?, failure_reason = ?, announced = ?, look_first = FALSE, "
                            + "stripe_created_at = ?, updated_at = ? WHERE id = ?")
                    .params(seen.id(), decision.status(), truncate(seen.failureReason(), 100), decision.announced(),
                            seen.created() == null ? null : Timestamp.from(seen.created()), Timestamp.from(clock.instant()), before.id())
                    .update();
            RefundRecord after = find(before.id()).orElseThrow();
            if (isNew) {
                events.publishEvent(new RefundIssued(after.orderId(), seen.id(), after.amount(), after.status(),
                        after.restock() ? after.lines() : List.of(), after.requestedBy(), cause));
            }
            switch (decision.announce()) {
                case SUCCEEDED -> events.publishEvent(new RefundSucceeded(after.orderId(), seen.id(), after.amount(), cause));
                case FAILED -> {
                    log.warn("Refund {} of order #{} {} ({})", seen.id(), after.orderId(), decision.status(), seen.failureReason());
                    events.publishEvent(new RefundFailed(after.orderId(), seen.id(), after.amount(),
                            FailureReasons.plain(decision.status(), seen.failureReason()), cause));
                }
                case NONE -> {
                }
            }
            return after;
        });
    }

    public void resolve(long id, String by) {
        jdbc.sql("UPDATE refunds SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL")
                .params(Timestamp.from(clock.instant()), by, id).update();
    }

    public Optional<RefundRecord> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM refunds WHERE id = ?").param(id).query(this::row).optional().map(this::finish);
    }

    public Optional<RefundRecord> byRefundId(String refundId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM refunds WHERE refund_id = ?").param(refundId).query(this::row).optional().map(this::finish);
    }

    public List<RefundRecord> forOrder(long orderId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM refunds WHERE order_id = ? ORDER BY created_at, id").param(orderId)
                .query(this::row).list().stream().map(this::finish).toList();
    }

    /** Refunds that failed and nobody has marked as dealt with, newest first. */
    public List<RefundRecord> failedUnresolved(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM refunds WHERE status IN ('failed', 'canceled') AND resolved_at IS NULL "
                        + "ORDER BY updated_at DESC LIMIT ?")
                .param(limit).query(this::row).list().stream().map(this::finish).toList();
    }

    /**
     * The store's requests Stripe has not answered (a 5xx, a timeout, the store stopped while sending) and nothing has
     * touched since {@code before}, oldest first: their amount stays set aside until someone sends them again.
     */
    public List<RefundRecord> unansweredSince(Instant before, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM refunds WHERE status = 'sending' AND updated_at < ? ORDER BY updated_at, id LIMIT ?")
                .params(Timestamp.from(before), limit).query(this::row).list().stream().map(this::finish).toList();
    }

    /** Sum of the order's refunds that succeeded (also those that failed afterwards are left out). */
    public Optional<Money> refundedOf(long orderId) {
        return paidCharge(orderId).map(paid -> new Money(jdbc.sql("SELECT COALESCE(SUM(amount_minor), 0) FROM refunds "
                        + "WHERE attempt_id = ? AND status = 'succeeded'").param(paid.attemptId()).query(Long.class).single(),
                paid.received().currency()));
    }

    private Optional<RefundRecord> byToken(String token) {
        return token == null ? Optional.empty()
                : jdbc.sql("SELECT " + COLUMNS + " FROM refunds WHERE request_token = ?").param(token).query(this::row).optional().map(this::finish);
    }

    /** The store's request a refund answers: named in its metadata, on this same paid charge, and not yet answered. */
    private Optional<RefundRecord> ownRequest(PaidCharge paid, RefundState seen) {
        if (seen.requestNumber() == null || !seen.requestNumber().matches("\\d{1,18}")) {
            return Optional.empty();
        }
        return find(Long.parseLong(seen.requestNumber()))
                .filter(request -> request.attemptId() == paid.attemptId() && request.refundId() == null && "store".equals(request.origin())
                        && request.amount().minorUnits() == seen.amount());
    }

    private RefundRecord insertOutside(PaidCharge paid, RefundState seen) {
        Instant now = clock.instant();
        Currency currency = seen.currency() == null ? paid.received().currency() : Currency.getInstance(seen.currency().toUpperCase(Locale.ROOT));
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO refunds (order_id, attempt_id, amount_minor, currency, reason, status, origin, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, 'pending', 'stripe', ?, ?)")
                .params(paid.orderId(), paid.attemptId(), seen.amount(), currency.getCurrencyCode(), truncate(seen.reason(), 40),
                        Timestamp.from(now), Timestamp.from(now))
                .update(key, "id");
        log.info("Refund {} of order #{} was made outside the store; recorded", seen.id(), paid.orderId());
        return find(key.getKeyAs(Number.class).longValue()).orElseThrow();
    }

    private void lockAttempt(long attemptId) {
        jdbc.sql("SELECT id FROM checkout_attempts WHERE id = ? FOR UPDATE").param(attemptId).query(Long.class).single();
    }

    private static PaidCharge paidCharge(ResultSet rs, int row) throws SQLException {
        Currency currency = Currency.getInstance(rs.getString("currency").trim());
        return new PaidCharge(rs.getLong("id"), rs.getLong("order_id"), rs.getString("payment_intent_id"), rs.getString("charge_id"),
                new Money(rs.getLong("amount_received_minor"), currency));
    }

    /**
     * A refund's row, its lines still to read once the row's result set is closed (read inside the row mapper, outside
     * a transaction, they would hold a second pooled connection while the first is held).
     */
    private record Unfinished(long id, Currency currency, Function<List<PayableOrder.Line>, RefundRecord> withLines) {
    }

    private RefundRecord finish(Unfinished refund) {
        Currency currency = refund.currency();
        return refund.withLines().apply(jdbc.sql("SELECT book_id, title, unit_price_minor, quantity FROM refund_lines "
                        + "WHERE refund_row_id = ? ORDER BY book_id")
                .param(refund.id()).query((l, n) -> new PayableOrder.Line(l.getLong("book_id"), l.getString("title"),
                        new Money(l.getLong("unit_price_minor"), currency), l.getInt("quantity"))).list());
    }

    private Unfinished row(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong("id");
        Currency currency = Currency.getInstance(rs.getString("currency").trim());
        RefundRecord withoutLines = new RefundRecord(id, rs.getLong("order_id"), rs.getLong("attempt_id"), rs.getString("refund_id"),
                new Money(rs.getLong("amount_minor"), currency), rs.getString("reason"), rs.getString("status"), rs.getString("failure_reason"),
                rs.getString("refused_message"), rs.getString("announced"), rs.getString("origin"), rs.getString("request_token"),
                rs.getString("requested_by"), rs.getBoolean("restock"), rs.getInt("tries"), rs.getBoolean("look_first"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")), instant(rs.getTimestamp("resolved_at")), List.of());
        return new Unfinished(id, currency, withoutLines::withLines);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
