package org.bookstore.store.payments.refunds;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.bookstore.store.payments.UnsettledPayment;
import org.bookstore.store.payments.stripe.Installation;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.bookstore.store.payments.stripe.StripeFailures;
import org.springframework.stereotype.Component;

/**
 * Every call the store makes to Stripe about refunds, never inside a database transaction. A back-office request is
 * recorded first ({@link RefundLedger#record}) and sent under the idempotency key {@code <installation>-refund-<id>-<try>}:
 * a double submit or a retry after a timeout gets the very same refund. After an error that Stripe may still have acted
 * on (a 5xx), or once Stripe may have forgotten the key (a day later), the refunds of the payment are looked through
 * for this request before a new try is made under a new key: not sooner than {@link #IN_FLIGHT_AT_MOST} after the last
 * try (which may still be under way at Stripe), and by only one of the senders who read the request as it was.
 */
@Component
public class Refunds {

    /**
     * How long an idempotency key is certainly still known to Stripe (it keeps them at least 24 hours): a request last
     * sent before that is looked for at Stripe before it is sent again.
     */
    static final Duration KEYS_KEPT = Duration.ofHours(23);
    /**
     * How long a request sent to Stripe may still be under way there after the store stopped waiting for it: a new key
     * is never taken sooner after the last try, or that try and the new one could both make a refund.
     */
    public static final Duration IN_FLIGHT_AT_MOST = Duration.ofMinutes(5);

    private final StripeAccess stripe;
    private final RefundLedger ledger;
    private final Installation installation;
    private final Clock clock;

    Refunds(StripeAccess stripe, RefundLedger ledger, Installation installation, Clock clock) {
        this.stripe = stripe;
        this.ledger = ledger;
        this.installation = installation;
        this.clock = clock;
    }

    /** How sending a request ended: Stripe's refund as recorded, or the reason it could not be made now. */
    public record Sent(RefundRecord refund, String problem, boolean retryable) {
    }

    /** Sends a recorded request to Stripe (again, if it was sent before without an answer). */
    public Sent send(RefundRecord request, String cause) {
        if (!request.unanswered()) {
            return new Sent(request, null, false);
        }
        PaidCharge paid = ledger.paidCharge(request.orderId()).orElseThrow();
        RefundRecord current = request;
        try {
            Instant now = clock.instant();
            Instant lastSent = current.updatedAt();
            boolean keyMayBeForgotten = lastSent.isBefore(now.minus(KEYS_KEPT));
            if (current.lookFirst() || keyMayBeForgotten) {
                Optional<Refund> made = findMade(paid, current);
                if (made.isPresent()) {
                    return new Sent(ledger.apply(paid, RefundState.of(made.get()), cause), null, false);
                }
                if (!keyMayBeForgotten && lastSent.isAfter(now.minus(IN_FLIGHT_AT_MOST))) {
                    // A try under the present key may still be under way at Stripe, and not among its refunds yet.
                    return new Sent(current, notConfirmedYet(), true);
                }
                current = ledger.nextTry(current);
            } else {
                current = ledger.sending(current);
            }
            if (!current.unanswered()) {
                return new Sent(current, null, false);
            }
            RefundCreateParams.Builder params = RefundCreateParams.builder()
                    .setPaymentIntent(paid.paymentIntentId())
                    .setAmount(current.amount().minorUnits())
                    .putMetadata("order_id", Long.toString(current.orderId()))
                    .putMetadata(RefundState.REQUEST, Long.toString(current.id()));
            if (current.reason() != null) {
                params.setReason(RefundCreateParams.Reason.valueOf(current.reason().toUpperCase(java.util.Locale.ROOT)));
            }
            Refund refund = stripe.client().v1().refunds().create(params.build(), RequestOptions.builder()
                    .setIdempotencyKey(installation.id() + "-refund-" + current.id() + "-" + current.tries()).build());
            return new Sent(ledger.apply(paid, RefundState.of(refund), cause), null, false);
        } catch (IdempotencyException e) {
            // The same key is still being answered for another submit: the refund is on its way.
            StripeFailures.log("refund order #" + current.orderId(), e);
            return new Sent(current, unavailable(), true);
        } catch (InvalidRequestException e) {
            StripeFailures.log("refund order #" + current.orderId(), e);
            String message = refusedMessage(e);
            ledger.refused(current.id(), message);
            return new Sent(ledger.find(current.id()).orElseThrow(), message, false);
        } catch (StripeException e) {
            StripeFailures.log("refund order #" + current.orderId(), e);
            boolean notActedOn = e instanceof RateLimitException || e instanceof ApiConnectionException;
            if (!notActedOn) {
                ledger.lookFirst(current.id());
            }
            return new Sent(ledger.find(current.id()).orElseThrow(), unavailable(), true);
        }
    }

    /**
     * A refund Stripe told the store about: read afresh and applied if it refunds one of the store's paid charges. One of
     * a payment not recorded as paid yet is applied once {@code unsettled} has settled that payment.
     */
    public Optional<RefundRecord> follow(String refundId, String cause, UnsettledPayment unsettled) throws StripeException {
        Refund refund;
        try {
            refund = stripe.client().v1().refunds().retrieve(refundId);
        } catch (InvalidRequestException unknown) {
            // Not a refund of this Stripe account: nothing to look at, and Stripe must not retry the event.
            StripeFailures.log("read refund " + refundId, unknown);
            return Optional.empty();
        }
        RefundState state = RefundState.of(refund);
        if (ledger.paidChargeOf(state.chargeId(), state.paymentIntentId()).isEmpty()) {
            unsettled.settled(refund.getPaymentIntent());
        }
        return apply(refund, cause);
    }

    /**
     * Every refund of a charge (after {@code charge.refunded}, or a re-check): one made in the Dashboard is found too. A
     * payment not recorded as paid yet is settled by {@code unsettled} first.
     */
    public int followPayment(String chargeId, String paymentIntentId, String cause, UnsettledPayment unsettled) throws StripeException {
        Optional<PaidCharge> paid = ledger.paidChargeOf(chargeId, paymentIntentId);
        if (paid.isEmpty() && unsettled.settled(paymentIntentId)) {
            paid = ledger.paidChargeOf(chargeId, paymentIntentId);
        }
        if (paid.isEmpty()) {
            return 0;
        }
        int seen = 0;
        RefundListParams params = RefundListParams.builder().setPaymentIntent(paid.get().paymentIntentId()).setLimit(100L).build();
        for (Refund refund : stripe.client().v1().refunds().list(params).autoPagingIterable()) {
            apply(refund, cause);
            seen++;
        }
        return seen;
    }

    private Optional<RefundRecord> apply(Refund refund, String cause) {
        RefundState state = RefundState.of(refund);
        return ledger.paidChargeOf(state.chargeId(), state.paymentIntentId()).map(paid -> ledger.apply(paid, state, cause));
    }

    private Optional<Refund> findMade(PaidCharge paid, RefundRecord request) throws StripeException {
        RefundListParams params = RefundListParams.builder().setPaymentIntent(paid.paymentIntentId()).setLimit(100L).build();
        for (Refund refund : stripe.client().v1().refunds().list(params).autoPagingIterable()) {
            if (refund.getMetadata() != null && Long.toString(request.id()).equals(refund.getMetadata().get(RefundState.REQUEST))) {
                return Optional.of(refund);
            }
        }
        return Optional.empty();
    }

    static String notConfirmedYet() {
        return "Stripe has not confirmed this refund yet, and its last try may still be under way there. Nothing has been "
                + "refunded twice: press \u201cSend again\u201d in a few minutes; it is safe.";
    }

    static String unavailable() {
        return "Stripe is unavailable right now, so the refund could not be confirmed. Nothing has been refunded twice: "
                + "press \u201cSend again\u201d in a moment; it is safe.";
    }

    private static String refusedMessage(InvalidRequestException e) {
        String code = e.getCode() == null ? "" : e.getCode();
        return switch (code) {
            case "amount_too_large" -> "Stripe refused the refund: it is more than is left to refund on this payment. Nothing was refunded.";
            case "charge_already_refunded" -> "Stripe refused the refund: this payment is already refunded in full. Nothing was refunded.";
            case "charge_disputed" -> "Stripe refused the refund: this payment is disputed, so it cannot be refunded. Nothing was refunded.";
            default -> "Stripe refused the refund" + (e.getStripeError() != null && e.getStripeError().getMessage() != null
                    ? ": " + e.getStripeError().getMessage() : ".") + " Nothing was refunded.";
        };
    }
}
