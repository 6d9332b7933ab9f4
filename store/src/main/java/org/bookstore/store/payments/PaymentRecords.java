package org.bookstore.store.payments;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.checkout.CheckoutAttempt;
import org.bookstore.store.payments.checkout.CheckoutAttempts;
import org.bookstore.store.payments.disputes.DisputeRecord;
import org.bookstore.store.payments.disputes.Disputes;
import org.bookstore.store.payments.refunds.FailureReasons;
import org.bookstore.store.payments.refunds.PaidCharge;
import org.bookstore.store.payments.refunds.RefundLedger;
import org.bookstore.store.payments.refunds.RefundRecord;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What payments can tell about orders, for the shop owner's back office and the buyer's order page: each payment's
 * Stripe ids, its refunds and disputes, what needs a person, and the takings per day. Read-only.
 */
@Service
public class PaymentRecords {

    private final CheckoutAttempts attempts;
    private final RefundLedger refunds;
    private final Disputes disputes;
    private final StripeAccess stripe;
    private final JdbcClient jdbc;
    private final Clock clock;

    PaymentRecords(CheckoutAttempts attempts, RefundLedger refunds, Disputes disputes, StripeAccess stripe, JdbcClient jdbc, Clock clock) {
        this.attempts = attempts;
        this.refunds = refunds;
        this.disputes = disputes;
        this.stripe = stripe;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One try at paying the order, with the Stripe ids the store recorded for it. */
    public record Attempt(long id, String integration, String status, String checkoutSessionId, String paymentIntentId,
            String chargeId, Money amount, Money received, Instant createdAt, Instant paidAt, String closeReason, String failure) {
    }

    /** A refund as people read it. {@code status} is Stripe's ({@code sending}: asked, not yet answered). */
    public record Refund(long id, long orderId, String refundId, Money amount, String reason, String status, String failure,
            String refusedMessage, String origin, String requestedBy, boolean restock, List<PayableOrder.Line> lines,
            Instant createdAt, Instant updatedAt, Instant resolvedAt) {

        /** The status in the buyer's words. */
        public String statusLabel() {
            return switch (status) {
                case "succeeded" -> "Refunded";
                case "pending", "requires_action", "sending" -> "Refund pending";
                case "failed", "canceled" -> "Refund failed";
                case "refused" -> "Not refunded";
                default -> status;
            };
        }

        public boolean unanswered() {
            return "sending".equals(status);
        }

        public String reasonLabel() {
            return reason == null ? "" : switch (reason) {
                case "requested_by_customer" -> "requested by the customer";
                case "duplicate" -> "duplicate payment";
                case "fraudulent" -> "fraudulent payment";
                default -> reason.replace('_', ' ');
            };
        }
    }

    public record Dispute(String disputeId, long orderId, String chargeId, Money amount, String reason, String status,
            Instant evidenceDueBy, boolean hasEvidence, int submissionCount, boolean fundsWithdrawn, boolean fundsReinstated,
            boolean open, boolean answerable, Instant createdAt, Instant updatedAt) {

        public String statusLabel() {
            return status.replace('_', ' ');
        }

        public String reasonLabel() {
            return reason == null ? "" : reason.replace('_', ' ');
        }
    }

    /** A payment that must not move its order but needs a person (amount mismatch, a payment the store did not make, ...). */
    public record Attention(long id, String kind, Long orderId, String stripeObjectId, String detail, Instant createdAt) {
    }

    /** A book of the paid order and how many copies of it can still be refunded. */
    public record RefundableLine(long bookId, String title, Money unitPrice, int bought, int refunded) {
        public int left() {
            return bought - refunded;
        }
    }

    /** Everything payments knows about one order. */
    public record Details(List<Attempt> attempts, Optional<Attempt> paid, List<Refund> refunds, List<Dispute> disputes,
            List<Attention> attention, Money refundable, List<RefundableLine> lines) {
    }

    /** Orders paid, and money received, on one day (in the shop's time zone), per currency. */
    public record Day(LocalDate date, int orders, Map<Currency, Money> received) {
    }

    public Details details(long orderId) {
        List<Attempt> all = jdbc.sql("SELECT id FROM checkout_attempts WHERE order_id = ? ORDER BY id").param(orderId)
                .query(Long.class).list().stream().map(attempts::find).flatMap(Optional::stream).map(PaymentRecords::attempt).toList();
        Optional<Attempt> paid = all.stream().filter(attempt -> attempt.status().equals("paid")).findFirst();
        Optional<PaidCharge> charge = refunds.paidCharge(orderId);
        List<RefundableLine> lines = new ArrayList<>();
        charge.ifPresent(found -> {
            Map<Long, Integer> refunded = refunds.refundedCopies(found.attemptId());
            attempts.find(found.attemptId()).ifPresent(attempt -> attempt.lines().forEach(line -> lines.add(new RefundableLine(
                    line.bookId(), line.title(), line.unitPrice(), line.quantity(), refunded.getOrDefault(line.bookId(), 0)))));
        });
        List<Attention> attention = jdbc.sql("SELECT id, kind, order_id, stripe_object_id, detail, created_at FROM payment_attention "
                        + "WHERE order_id = ? ORDER BY created_at, id").param(orderId).query(PaymentRecords::attention).list();
        return new Details(all, paid, refunds(orderId), disputes.forOrder(orderId).stream().map(PaymentRecords::dispute).toList(),
                attention, charge.map(refunds::refundable).orElse(null), lines);
    }

    /** The order's refunds, oldest first, including those refused or still being sent. */
    public List<Refund> refunds(long orderId) {
        return refunds.forOrder(orderId).stream().map(PaymentRecords::refund).toList();
    }

    public List<Dispute> disputes(long orderId) {
        return disputes.forOrder(orderId).stream().map(PaymentRecords::dispute).toList();
    }

    /** What the order's paid charge received, and how much of it was refunded; empty if it was not paid. */
    public Optional<Money> received(long orderId) {
        return refunds.paidCharge(orderId).map(PaidCharge::received);
    }

    public Optional<Money> refunded(long orderId) {
        return refunds.refundedOf(orderId);
    }

    /** The orders a Stripe id belongs to: a Checkout Session, PaymentIntent, Charge, Refund or Dispute id. */
    public Set<Long> ordersFor(String stripeId) {
        Set<Long> found = new LinkedHashSet<>();
        if (stripeId == null || !stripeId.matches("(cs|pi|ch|re|dp|py)_[A-Za-z0-9_]{1,250}")) {
            return found;
        }
        found.addAll(jdbc.sql("SELECT order_id FROM checkout_attempts WHERE checkout_session_id = ? OR payment_intent_id = ? OR charge_id = ?")
                .params(stripeId, stripeId, stripeId).query(Long.class).list());
        found.addAll(jdbc.sql("SELECT order_id FROM refunds WHERE refund_id = ?").param(stripeId).query(Long.class).list());
        found.addAll(jdbc.sql("SELECT order_id FROM disputes WHERE dispute_id = ?").param(stripeId).query(Long.class).list());
        return found;
    }

    public List<Attention> openAttention(int limit) {
        return jdbc.sql("SELECT id, kind, order_id, stripe_object_id, detail, created_at FROM payment_attention WHERE resolved_at IS NULL "
                        + "ORDER BY created_at DESC, id DESC LIMIT ?").param(limit).query(PaymentRecords::attention).list();
    }

    /** Stripe events acknowledged but not acted on yet: how many, since when, and why the latest try failed. */
    public record WaitingEvents(int count, Instant oldest, String lastError) {
    }

    /** The Stripe events received before {@code before} and still waiting to be acted on, if there are any. */
    public Optional<WaitingEvents> eventsWaitingSince(Instant before) {
        Timestamp cutoff = Timestamp.from(before);
        record Waiting(int count, Timestamp oldest) {
        }
        Waiting waiting = jdbc.sql("SELECT COUNT(*), MIN(received_at) FROM stripe_inbox WHERE received_at < ?").param(cutoff)
                .query((rs, row) -> new Waiting(rs.getInt(1), rs.getTimestamp(2))).single();
        if (waiting.count() == 0 || waiting.oldest() == null) {
            return Optional.empty();
        }
        int count = waiting.count();
        Instant oldest = waiting.oldest().toInstant();
        String lastError = jdbc.sql("SELECT last_error FROM stripe_inbox WHERE received_at < ? AND last_error IS NOT NULL ORDER BY try_after DESC "
                + "LIMIT 1").param(cutoff).query(String.class).optional().orElse(null);
        return Optional.of(new WaitingEvents(count, oldest, lastError));
    }

    public List<Refund> failedRefunds(int limit) {
        return refunds.failedUnresolved(limit).stream().map(PaymentRecords::refund).toList();
    }

    /** Refunds asked for in the back office that Stripe has not confirmed and nobody has sent again since {@code before}. */
    public List<Refund> unconfirmedRefunds(Instant before, int limit) {
        return refunds.unansweredSince(before, limit).stream().map(PaymentRecords::refund).toList();
    }

    public List<Dispute> openDisputes(int limit) {
        return disputes.open(limit).stream().map(PaymentRecords::dispute).toList();
    }

    /** Orders paid and money received per day, from {@code days - 1} days ago to today, in {@code zone}. */
    public List<Day> takings(int days, ZoneId zone) {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        LocalDate first = today.minusDays(days - 1L);
        Map<LocalDate, int[]> counts = new LinkedHashMap<>();
        Map<LocalDate, Map<Currency, Money>> sums = new LinkedHashMap<>();
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            counts.put(day, new int[1]);
            sums.put(day, new LinkedHashMap<>());
        }
        jdbc.sql("SELECT paid_at, amount_received_minor, currency FROM checkout_attempts WHERE status = 'paid' AND paid_at >= ?")
                .param(Timestamp.from(first.atStartOfDay(zone).toInstant()))
                .query((rs, row) -> {
                    LocalDate day = rs.getTimestamp("paid_at").toInstant().atZone(zone).toLocalDate();
                    if (counts.containsKey(day)) {
                        counts.get(day)[0]++;
                        Money received = new Money(rs.getLong("amount_received_minor"), Currency.getInstance(rs.getString("currency").trim()));
                        sums.get(day).merge(received.currency(), received, Money::plus);
                    }
                    return day;
                }).list();
        return counts.entrySet().stream().map(day -> new Day(day.getKey(), day.getValue()[0], sums.get(day.getKey()))).toList();
    }

    /** Money refunded (succeeded) since {@code since}, per currency. */
    public Map<Currency, Money> refundedSince(Instant since) {
        Map<Currency, Money> sums = new LinkedHashMap<>();
        jdbc.sql("SELECT amount_minor, currency FROM refunds WHERE status = 'succeeded' AND updated_at >= ?").param(Timestamp.from(since))
                .query((rs, row) -> sums.merge(Currency.getInstance(rs.getString("currency").trim()),
                        new Money(rs.getLong("amount_minor"), Currency.getInstance(rs.getString("currency").trim())), Money::plus))
                .list();
        return sums;
    }

    /** Where the shop owner looks at a Stripe object: Stripe's Dashboard (test or live, as the keys are), or the emulator's. */
    public String dashboardUrl(String stripeId) {
        return stripe.dashboardUrl(stripeId);
    }

    public boolean liveMode() {
        return stripe.mode() == StripeAccess.Mode.LIVE;
    }

    private static Attempt attempt(CheckoutAttempt a) {
        return new Attempt(a.id(), a.integration().code(), a.status().code(), a.checkoutSessionId(), a.paymentIntentId(), a.chargeId(),
                a.amount(), a.amountReceived(), a.createdAt(), a.paidAt(), a.closeReason(), a.failureMessage());
    }

    private static Refund refund(RefundRecord r) {
        String failure = "failed".equals(r.status()) || "canceled".equals(r.status()) ? FailureReasons.plain(r.status(), r.failureReason()) : null;
        return new Refund(r.id(), r.orderId(), r.refundId(), r.amount(), r.reason(), r.status(), failure, r.refusedMessage(), r.origin(),
                r.requestedBy(), r.restock(), r.lines(), r.createdAt(), r.updatedAt(), r.resolvedAt());
    }

    private static Dispute dispute(DisputeRecord d) {
        return new Dispute(d.disputeId(), d.orderId(), d.chargeId(), d.amount(), d.reason(), d.status(), d.evidenceDueBy(), d.hasEvidence(),
                d.submissionCount(), d.fundsWithdrawn(), d.fundsReinstated(), d.open(), d.answerable(), d.createdAt(), d.updatedAt());
    }

    private static Attention attention(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        long order = rs.getLong("order_id");
        return new Attention(rs.getLong("id"), rs.getString("kind"), rs.wasNull() ? null : order, rs.getString("stripe_object_id"),
                rs.getString("detail"), rs.getTimestamp("created_at").toInstant());
    }
}
