package org.bookstore.store.payments.disputes;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Dispute;
import com.stripe.param.DisputeListParams;
import com.stripe.param.DisputeUpdateParams;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.DisputeClosed;
import org.bookstore.store.payments.DisputeOpened;
import org.bookstore.store.payments.UnsettledPayment;
import org.bookstore.store.payments.refunds.PaidCharge;
import org.bookstore.store.payments.refunds.RefundLedger;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.bookstore.store.payments.stripe.StripeFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Disputes of the store's paid charges, recorded beside their orders: found by the charge id recorded when the order
 * was paid, read afresh from Stripe on every event (so duplicated, reordered and late events end the same way), and
 * answered with evidence or accepted through Stripe's API. A dispute never moves its order's status.
 */
@Component
public class Disputes {

    private static final Logger log = LoggerFactory.getLogger(Disputes.class);
    private static final String COLUMNS = "id, dispute_id, order_id, attempt_id, charge_id, amount_minor, currency, reason, status, "
            + "evidence_due_by, has_evidence, submission_count, funds_withdrawn, funds_reinstated, created_at, updated_at";

    private final StripeAccess stripe;
    private final RefundLedger charges;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Disputes(StripeAccess stripe, RefundLedger charges, JdbcClient jdbc, TransactionTemplate transactions,
            ApplicationEventPublisher events, Clock clock) {
        this.stripe = stripe;
        this.charges = charges;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    /** The text a bookshop has to answer a dispute with; each may be blank. */
    public record Evidence(String productDescription, String customerCommunication, String receipt, String refundPolicy,
            String shippingOrAccess) {
    }

    /** Stripe refused or could not take the answer, or it was not sent: nothing changed. */
    public static class NotSent extends RuntimeException {
        public NotSent(String message) {
            super(message);
        }
    }

    /** Stripe did not say whether it took the answer (no reply in time, or an error of its own): it may have. */
    public static class NotConfirmed extends RuntimeException {
        public NotConfirmed(String message) {
            super(message);
        }
    }

    /**
     * How long an answer to a dispute is taken to be on its way to Stripe: another one (a second tab, another admin) is
     * refused meanwhile. An answer Stripe did not confirm keeps it this long, as it may still be under way there.
     */
    public static final Duration ANSWER_AT_MOST = Duration.ofMinutes(5);

    /**
     * A dispute Stripe told the store about: read afresh and recorded if it is about one of the store's paid charges. One
     * about a payment not recorded as paid yet is recorded once {@code unsettled} has settled that payment.
     */
    public Optional<DisputeRecord> follow(String disputeId, String cause, UnsettledPayment unsettled) throws StripeException {
        Dispute dispute;
        try {
            dispute = stripe.client().v1().disputes().retrieve(disputeId);
        } catch (InvalidRequestException unknown) {
            StripeFailures.log("read dispute " + disputeId, unknown);
            return Optional.empty();
        }
        DisputeState seen = DisputeState.of(dispute);
        if (charges.paidChargeOf(seen.chargeId(), null).isEmpty()) {
            unsettled.settled(dispute.getPaymentIntent());
        }
        return apply(seen, cause);
    }

    /** Every dispute of the order's paid charge (for a re-check). */
    public int followPayment(PaidCharge paid, String cause) throws StripeException {
        int seen = 0;
        DisputeListParams params = DisputeListParams.builder().setPaymentIntent(paid.paymentIntentId()).setLimit(100L).build();
        for (Dispute dispute : stripe.client().v1().disputes().list(params).autoPagingIterable()) {
            apply(DisputeState.of(dispute), cause);
            seen++;
        }
        return seen;
    }

    /** Sends the evidence; with {@code submit} Stripe passes it to the bank, otherwise it is only staged. */
    public DisputeRecord respond(String disputeId, Evidence evidence, boolean submit, String cause) {
        find(disputeId).orElseThrow(() -> new NotSent("No such dispute."));
        DisputeUpdateParams.Evidence.Builder text = DisputeUpdateParams.Evidence.builder();
        if (!blank(evidence.productDescription())) {
            text.setProductDescription(evidence.productDescription());
        }
        if (!blank(evidence.refundPolicy())) {
            text.setRefundPolicyDisclosure(evidence.refundPolicy());
        }
        if (!blank(evidence.shippingOrAccess())) {
            text.setAccessActivityLog(evidence.shippingOrAccess());
        }
        // Stripe's fields for communication and receipts take uploaded files; as text they go in the free-text field.
        StringBuilder other = new StringBuilder();
        if (!blank(evidence.customerCommunication())) {
            other.append("Customer communication:\n").append(evidence.customerCommunication().strip());
        }
        if (!blank(evidence.receipt())) {
            other.append(other.length() > 0 ? "\n\n" : "").append("Receipt:\n").append(evidence.receipt().strip());
        }
        if (other.length() > 0) {
            text.setUncategorizedText(other.toString());
        }
        return answer(disputeId, "evidence", "send evidence for dispute " + disputeId, cause, () -> stripe.client().v1().disputes()
                .update(disputeId, DisputeUpdateParams.builder().setEvidence(text.build()).setSubmit(submit).build()));
    }

    /**
     * Accepts the dispute: the money stays with the buyer's bank, and the dispute closes as lost. Only while it waits
     * for a response: once evidence is submitted the bank decides, and accepting would concede a case already argued.
     */
    public DisputeRecord accept(String disputeId, String cause) {
        find(disputeId).orElseThrow(() -> new NotSent("No such dispute."));
        // Closing answers with the dispute as Stripe now has it: no second request that could fail after it.
        return answer(disputeId, "accept", "accept dispute " + disputeId, cause, () -> stripe.client().v1().disputes().close(disputeId));
    }

    /** One request to Stripe that answers the dispute and returns it as Stripe now has it. */
    private interface Answer {
        Dispute send() throws StripeException;
    }

    /**
     * Sends an answer under the dispute's claim, and records the dispute as Stripe returns it. The claim is given back
     * unless Stripe may have taken the answer without saying so, when it is kept for {@link #ANSWER_AT_MOST}.
     */
    private DisputeRecord answer(String disputeId, String action, String what, String cause, Answer answer) {
        Instant claimed = claim(disputeId, action);
        boolean release = true;
        try {
            return apply(DisputeState.of(answer.send()), cause).orElseThrow();
        } catch (StripeException e) {
            release = !maybeTaken(e);
            throw failed(what, disputeId, e, cause);
        } finally {
            if (release) {
                release(disputeId, claimed);
            }
        }
    }

    /**
     * Takes the dispute for one answer at a time (two tabs, two admins, two instances): another answer under way is
     * refused, and so is one the dispute no longer takes, as it stands once the claim is had (a submission or an
     * acceptance just finished has changed it). Held without a database lock while Stripe is asked.
     */
    private Instant claim(String disputeId, String action) {
        // Kept as the database keeps it, so that the release below finds the very claim it made.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        int claimed = jdbc.sql("UPDATE disputes SET answering_since = ? WHERE dispute_id = ? "
                        + "AND (answering_since IS NULL OR answering_since < ?)")
                .params(Timestamp.from(now), disputeId, Timestamp.from(now.minus(ANSWER_AT_MOST))).update();
        if (claimed == 0) {
            throw new NotSent("Another answer to this dispute is on its way to Stripe (from another tab, or another admin), "
                    + "so this one was not sent. Reload the order page in a moment to see where the dispute stands.");
        }
        DisputeRecord current = find(disputeId).orElseThrow();
        if (!current.answerable()) {
            release(disputeId, now);
            String status = current.status().replace('_', ' ');
            throw new NotSent(("accept".equals(action) ? "This dispute can no longer be accepted" : "This dispute no longer takes evidence")
                    + " (it is " + status + "), so nothing was sent.");
        }
        return now;
    }

    private void release(String disputeId, Instant claimed) {
        jdbc.sql("UPDATE disputes SET answering_since = NULL WHERE dispute_id = ? AND answering_since = ?")
                .params(disputeId, Timestamp.from(claimed)).update();
    }

    /** No reply in time, or an error on Stripe's side: the request may have been carried out. */
    private static boolean maybeTaken(StripeException e) {
        return e instanceof ApiConnectionException || e instanceof ApiException;
    }

    private Optional<DisputeRecord> apply(DisputeState seen, String cause) {
        Optional<PaidCharge> paid = charges.paidChargeOf(seen.chargeId(), null);
        if (paid.isEmpty()) {
            log.info("Dispute {} is about charge {}, which is not a paid order of this store; ignored", seen.id(), seen.chargeId());
            return Optional.empty();
        }
        return Optional.of(transactions.execute(tx -> {
            jdbc.sql("SELECT id FROM checkout_attempts WHERE id = ? FOR UPDATE").param(paid.get().attemptId()).query(Long.class).single();
            Optional<DisputeRecord> known = find(seen.id());
            Instant now = clock.instant();
            if (known.isEmpty()) {
                jdbc.sql("INSERT INTO disputes (dispute_id, order_id, attempt_id, charge_id, amount_minor, currency, reason, status, "
                                + "evidence_due_by, has_evidence, submission_count, funds_withdrawn, funds_reinstated, announced, "
                                + "stripe_created_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'opened', ?, ?, ?)")
                        .params(seen.id(), paid.get().orderId(), paid.get().attemptId(), seen.chargeId(), seen.amount(),
                                currency(seen, paid.get()), seen.reason(), seen.status(), timestamp(seen.evidenceDueBy()),
                                seen.hasEvidence(), seen.submissionCount(), seen.fundsWithdrawn(), seen.fundsReinstated(),
                                timestamp(seen.created()), Timestamp.from(now), Timestamp.from(now))
                        .update();
                DisputeRecord opened = find(seen.id()).orElseThrow();
                log.warn("Order #{} is disputed ({}, {}), evidence due by {}", opened.orderId(), seen.reason(), opened.amount(), seen.evidenceDueBy());
                events.publishEvent(new DisputeOpened(opened.orderId(), seen.id(), opened.amount(), seen.reason(), seen.evidenceDueBy(), cause));
            } else {
                // A closed dispute stays closed, and funds once moved stay recorded, whatever arrives late.
                String status = !known.get().open() || DisputeState.rank(known.get().status()) > DisputeState.rank(seen.status())
                        ? known.get().status() : seen.status();
                jdbc.sql("UPDATE disputes SET status = ?, reason = ?, evidence_due_by = ?, has_evidence = ?, submission_count = ?, "
                                + "funds_withdrawn = ?, funds_reinstated = ?, updated_at = ? WHERE dispute_id = ?")
                        .params(status, seen.reason(), timestamp(seen.evidenceDueBy()), seen.hasEvidence() || known.get().hasEvidence(),
                                Math.max(seen.submissionCount(), known.get().submissionCount()),
                                seen.fundsWithdrawn() || known.get().fundsWithdrawn(), seen.fundsReinstated() || known.get().fundsReinstated(),
                                Timestamp.from(now), seen.id())
                        .update();
            }
            DisputeRecord after = find(seen.id()).orElseThrow();
            if (!after.open()) {
                int first = jdbc.sql("UPDATE disputes SET announced = 'closed' WHERE dispute_id = ? AND announced <> 'closed'")
                        .param(seen.id()).update();
                if (first > 0) {
                    events.publishEvent(new DisputeClosed(after.orderId(), seen.id(), after.status(), cause));
                }
            }
            return after;
        }));
    }

    public Optional<DisputeRecord> find(String disputeId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM disputes WHERE dispute_id = ?").param(disputeId).query(Disputes::record).optional();
    }

    public List<DisputeRecord> forOrder(long orderId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM disputes WHERE order_id = ? ORDER BY created_at, id").param(orderId)
                .query(Disputes::record).list();
    }

    /** Disputes still open, the soonest evidence deadline first. */
    public List<DisputeRecord> open(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM disputes WHERE status NOT IN ('won', 'lost', 'warning_closed', 'prevented') "
                        + "ORDER BY evidence_due_by, id LIMIT ?")
                .param(limit).query(Disputes::record).list();
    }

    /**
     * What to tell the admin when Stripe did not take an answer. Refused: the store's copy is read again from Stripe
     * (it may be behind, for instance a dispute closed whose events have not arrived yet). Not confirmed: it may have
     * been taken, so it is not called "not sent".
     */
    private RuntimeException failed(String what, String disputeId, StripeException e, String cause) {
        StripeFailures.log(what, e);
        if (e instanceof InvalidRequestException && e.getStripeError() != null && e.getStripeError().getMessage() != null) {
            try {
                follow(disputeId, cause, UnsettledPayment.LEAVE);
            } catch (StripeException | RuntimeException stillBehind) {
                log.debug("Could not read dispute {} again after Stripe refused an answer: {}", disputeId, stillBehind.toString());
            }
            return new NotSent("Stripe refused it: " + e.getStripeError().getMessage() + " Nothing was changed.");
        }
        if (maybeTaken(e)) {
            return new NotConfirmed("Stripe did not confirm it (" + (e instanceof ApiConnectionException ? "no reply in time"
                    : "an error on Stripe's side") + "), so it may or may not have been taken. This page shows the dispute as "
                    + "Stripe reports it within a minute or so; if it still waits for a response in " + ANSWER_AT_MOST.toMinutes()
                    + " minutes, send it again.");
        }
        return new NotSent("Stripe is unavailable right now, so nothing was sent. Please try again in a moment.");
    }

    private static String currency(DisputeState seen, PaidCharge paid) {
        return seen.currency() == null ? paid.received().currency().getCurrencyCode() : seen.currency().toUpperCase(Locale.ROOT);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static DisputeRecord record(ResultSet rs, int row) throws SQLException {
        Currency currency = Currency.getInstance(rs.getString("currency").trim());
        Timestamp due = rs.getTimestamp("evidence_due_by");
        return new DisputeRecord(rs.getLong("id"), rs.getString("dispute_id"), rs.getLong("order_id"), rs.getLong("attempt_id"),
                rs.getString("charge_id"), new Money(rs.getLong("amount_minor"), currency), rs.getString("reason"), rs.getString("status"),
                due == null ? null : due.toInstant(), rs.getBoolean("has_evidence"), rs.getInt("submission_count"),
                rs.getBoolean("funds_withdrawn"), rs.getBoolean("funds_reinstated"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
