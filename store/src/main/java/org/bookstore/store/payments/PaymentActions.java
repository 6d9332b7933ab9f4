package org.bookstore.store.payments;

import com.stripe.exception.StripeException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.checkout.CheckoutAttempt;
import org.bookstore.store.payments.checkout.CheckoutAttempts;
import org.bookstore.store.payments.checkout.Checkouts;
import org.bookstore.store.payments.disputes.Disputes;
import org.bookstore.store.payments.refunds.PaidCharge;
import org.bookstore.store.payments.refunds.RefundLedger;
import org.bookstore.store.payments.refunds.RefundRecord;
import org.bookstore.store.payments.refunds.Refunds;
import org.bookstore.store.payments.stripe.StripeFailures;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What the shop owner does with payments: refund (all, part, or some books), send a refund again after Stripe failed
 * to answer, answer or accept a dispute, and re-check an order with Stripe. Amounts come from the database (the
 * charged lines and what was captured), never from the browser beyond the amount asked for, which is checked.
 */
@Service
public class PaymentActions {

    static final Set<String> REASONS = Set.of("requested_by_customer", "duplicate", "fraudulent");

    private final RefundLedger ledger;
    private final Refunds refunds;
    private final Disputes disputes;
    private final CheckoutAttempts attempts;
    private final Checkouts checkouts;
    private final JdbcClient jdbc;
    private final Clock clock;

    PaymentActions(RefundLedger ledger, Refunds refunds, Disputes disputes, CheckoutAttempts attempts, Checkouts checkouts,
            JdbcClient jdbc, Clock clock) {
        this.ledger = ledger;
        this.refunds = refunds;
        this.disputes = disputes;
        this.attempts = attempts;
        this.checkouts = checkouts;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * A refund the shop owner asks for: an amount (null: the books' price) and/or books with how many copies
     * ({@code copies}, book id to count), whether to put them back in stock, Stripe's reason, and the token of the
     * form it came from, so submitting the same form twice makes one refund.
     */
    public record RefundOrder(long orderId, Money amount, Map<Long, Integer> copies, boolean restock, String reason, String token,
            String by) {
    }

    /** How an action ended: {@code done} or not, and what to tell the shop owner. */
    public record Outcome(boolean done, String message) {
        static Outcome refused(String message) {
            return new Outcome(false, message);
        }
    }

    public Outcome refund(RefundOrder order) {
        if (order.reason() == null || !REASONS.contains(order.reason())) {
            return Outcome.refused("Choose Stripe's reason for the refund: requested by the customer, duplicate or fraudulent.");
        }
        if (order.token() == null || !order.token().matches("[A-Za-z0-9-]{16,64}")) {
            return Outcome.refused("The refund form had expired. Nothing was refunded; please reload the page and try again.");
        }
        Optional<PaidCharge> paid = ledger.paidCharge(order.orderId());
        if (paid.isEmpty()) {
            return Outcome.refused("Order #" + order.orderId() + " has not been paid, so there is nothing to refund.");
        }
        CheckoutAttempt attempt = attempts.find(paid.get().attemptId()).orElseThrow();
        Map<Long, Integer> refunded = ledger.refundedCopies(attempt.id());
        List<PayableOrder.Line> lines = new ArrayList<>();
        for (Map.Entry<Long, Integer> wanted : order.copies().entrySet()) {
            if (wanted.getValue() == null || wanted.getValue() == 0) {
                continue;
            }
            Optional<PayableOrder.Line> bought = attempt.lines().stream().filter(line -> line.bookId() == wanted.getKey()).findFirst();
            if (bought.isEmpty()) {
                return Outcome.refused("That book is not in order #" + order.orderId() + ". Nothing was refunded.");
            }
            int left = bought.get().quantity() - refunded.getOrDefault(wanted.getKey(), 0);
            if (wanted.getValue() < 0 || wanted.getValue() > left) {
                return Outcome.refused("You can refund at most " + left + (left == 1 ? " copy" : " copies") + " of \u201c"
                        + bought.get().title() + "\u201d. Nothing was refunded.");
            }
            lines.add(new PayableOrder.Line(bought.get().bookId(), bought.get().title(), bought.get().unitPrice(), wanted.getValue()));
        }
        Money amount = order.amount();
        if (amount == null) {
            if (lines.isEmpty()) {
                return Outcome.refused("Enter an amount to refund, or choose the books to refund. Nothing was refunded.");
            }
            amount = lines.stream().map(PayableOrder.Line::total).reduce(Money.zero(paid.get().received().currency()), Money::plus);
        }
        if (amount.minorUnits() <= 0) {
            return Outcome.refused("A refund must be more than zero. Nothing was refunded.");
        }
        if (order.restock() && lines.isEmpty()) {
            return Outcome.refused("Choose the books to put back in stock, or untick \u201cput back in stock\u201d. Nothing was refunded.");
        }
        RefundRecord request;
        try {
            request = ledger.record(new RefundLedger.Ask(order.orderId(), amount, lines, order.restock(), order.reason(), order.token(), order.by()));
        } catch (RefundLedger.Refused refused) {
            return Outcome.refused(refused.getMessage());
        }
        return sent(refunds.send(request, "refund requested by " + order.by()));
    }

    /** Sends again a refund Stripe did not answer: under the same idempotency key, or after looking for it at Stripe. */
    public Outcome sendAgain(long orderId, long refundRow, String by) {
        Optional<RefundRecord> request = ledger.find(refundRow).filter(found -> found.orderId() == orderId);
        if (request.isEmpty()) {
            return Outcome.refused("No such refund on this order.");
        }
        if (!request.get().unanswered()) {
            return new Outcome(true, "Stripe has already answered that refund: it is " + request.get().status() + ".");
        }
        return sent(refunds.send(request.get(), "refund sent again by " + by));
    }

    private static Outcome sent(Refunds.Sent sent) {
        if (sent.problem() != null) {
            return Outcome.refused(sent.problem());
        }
        RefundRecord refund = sent.refund();
        String state = switch (refund.status()) {
            case "succeeded" -> "Stripe refunded it";
            case "pending", "requires_action" -> "Stripe is processing it";
            case "failed", "canceled" -> "Stripe could not refund it";
            default -> "it is " + refund.status();
        };
        return new Outcome(true, "Refund of " + refund.amount().display() + " made (" + refund.refundId() + "): " + state + ".");
    }

    public Outcome markRefundHandled(long orderId, long refundRow, String by) {
        Optional<RefundRecord> request = ledger.find(refundRow).filter(found -> found.orderId() == orderId);
        if (request.isEmpty()) {
            return Outcome.refused("No such refund on this order.");
        }
        ledger.resolve(refundRow, by);
        return new Outcome(true, "The failed refund is marked as dealt with.");
    }

    public Outcome markAttentionHandled(long attentionId, String by) {
        int changed = jdbc.sql("UPDATE payment_attention SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL")
                .params(Timestamp.from(clock.instant()), attentionId).update();
        return changed > 0 ? new Outcome(true, "Marked as dealt with.") : Outcome.refused("That was already dealt with.");
    }

    /** The text a bookshop answers a dispute with. */
    public record Evidence(String productDescription, String customerCommunication, String receipt, String refundPolicy,
            String shippingOrAccess) {
    }

    public Outcome respondToDispute(long orderId, String disputeId, Evidence evidence, boolean submit, String by) {
        if (disputes.find(disputeId).filter(found -> found.orderId() == orderId).isEmpty()) {
            return Outcome.refused("No such dispute on this order.");
        }
        try {
            disputes.respond(disputeId, new Disputes.Evidence(evidence.productDescription(), evidence.customerCommunication(),
                    evidence.receipt(), evidence.refundPolicy(), evidence.shippingOrAccess()), submit, "evidence sent by " + by);
            return new Outcome(true, submit ? "The evidence was submitted to the bank through Stripe." : "The evidence was saved at Stripe; it is not submitted yet.");
        } catch (Disputes.NotSent | Disputes.NotConfirmed e) {
            return Outcome.refused(e.getMessage());
        }
    }

    public Outcome acceptDispute(long orderId, String disputeId, String by) {
        if (disputes.find(disputeId).filter(found -> found.orderId() == orderId).isEmpty()) {
            return Outcome.refused("No such dispute on this order.");
        }
        try {
            disputes.accept(disputeId, "dispute accepted by " + by);
            return new Outcome(true, "The dispute was accepted: it is closed as lost.");
        } catch (Disputes.NotSent | Disputes.NotConfirmed e) {
            return Outcome.refused(e.getMessage());
        }
    }

    /**
     * Reads the order's payment, refunds and disputes from Stripe and applies what it finds through the same paths as
     * the webhooks. Says what changed.
     */
    public Outcome recheck(long orderId, String cause) {
        Optional<CheckoutAttempt> latest = attempts.latestFor(orderId);
        if (latest.isEmpty()) {
            return Outcome.refused("Order #" + orderId + " has no payment to check.");
        }
        List<String> found = new ArrayList<>();
        try {
            List<CheckoutAttempt> toCheck = new ArrayList<>();
            attempts.liveFor(orderId).ifPresent(toCheck::add);
            if (toCheck.stream().noneMatch(attempt -> attempt.id() == latest.get().id())) {
                toCheck.add(latest.get());
            }
            for (CheckoutAttempt attempt : toCheck) {
                if (attempt.stripeObjectId() == null && !attempt.live()) {
                    continue;
                }
                CheckoutAttempt after = checkouts.settle(attempt, cause);
                found.add(after.status() == attempt.status() ? "payment " + Optional.ofNullable(after.stripeObjectId()).orElse("#" + after.id())
                        + " is still " + after.status().code() : "payment " + after.stripeObjectId() + " went from "
                        + attempt.status().code() + " to " + after.status().code());
            }
            Optional<PaidCharge> paid = ledger.paidCharge(orderId);
            if (paid.isPresent()) {
                int refundCount = refunds.followPayment(paid.get().chargeId(), paid.get().paymentIntentId(), cause,
                        UnsettledPayment.LEAVE);
                int disputeCount = disputes.followPayment(paid.get(), cause);
                found.add(refundCount + (refundCount == 1 ? " refund" : " refunds") + " and " + disputeCount
                        + (disputeCount == 1 ? " dispute" : " disputes") + " at Stripe");
            }
        } catch (PaymentsUnavailable e) {
            return Outcome.refused("Stripe is unavailable right now, so the order could not be re-checked. Nothing was changed.");
        } catch (StripeException e) {
            StripeFailures.log("re-check order #" + orderId, e);
            return Outcome.refused("Stripe is unavailable right now, so the order could not be re-checked. Nothing was changed.");
        }
        return new Outcome(true, "Re-checked with Stripe: " + String.join("; ", found) + ".");
    }
}
