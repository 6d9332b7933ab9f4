package org.bookstore.store.payments.checkout;

import java.util.Locale;
import org.bookstore.store.payments.checkout.StripePayment.IntentState;
import org.bookstore.store.payments.checkout.StripePayment.SessionState;

/**
 * The one place that decides what an attempt becomes from what Stripe says about it. Webhooks, the success and
 * return pages, a cart change, the buyer's "cancel", and reconciliation all come here. Pure: no I/O, no clock.
 *
 * <p>Only what Stripe says about the attempt's own Session or PaymentIntent counts; an order is paid only for exactly
 * the attempt's amount and currency received; anything else is kept for a person to look at and moves nothing.
 */
public final class PaymentDecision {

    private PaymentDecision() {}

    /** Why a payment needs a person instead of moving its order. */
    public enum Attention {
        AMOUNT_MISMATCH, PAID_AFTER_CLOSE, UNCAPTURED, FOREIGN_PAYMENT, NO_PAYMENT
    }

    /** The attempt's next status, and what needs attention (or null). {@code closeReason} says why it closed. */
    public record Decision(AttemptStatus next, String closeReason, Attention attention, String detail) {

        static Decision to(AttemptStatus next) {
            return new Decision(next, null, null, null);
        }

        static Decision closed(String reason) {
            return new Decision(AttemptStatus.CLOSED, reason, null, null);
        }

        static Decision attention(AttemptStatus stay, Attention attention, String detail) {
            return new Decision(stay, null, attention, detail);
        }
    }

    public static Decision decide(CheckoutAttempt attempt, StripePayment seen) {
        IntentState intent = seen.intent();
        SessionState session = seen.session();
        boolean succeeded = intent != null && "succeeded".equals(intent.status());
        if (attempt.status().isFinal()) {
            if (succeeded && attempt.status() == AttemptStatus.CLOSED) {
                return Decision.attention(AttemptStatus.CLOSED, Attention.PAID_AFTER_CLOSE, "Payment " + intent.id()
                        + " succeeded after its checkout was closed; the order was not marked paid. Refund it.");
            }
            return Decision.to(attempt.status());
        }
        if (succeeded) {
            if (!receivedExactly(attempt, intent)) {
                return Decision.attention(attempt.status(), Attention.AMOUNT_MISMATCH, "Payment " + intent.id() + " received "
                        + intent.amountReceived() + " " + upper(intent.currency()) + " but order #" + attempt.orderId()
                        + " charges " + attempt.amount().minorUnits() + " " + attempt.amount().currency().getCurrencyCode()
                        + "; the order was not marked paid.");
            }
            return Decision.to(AttemptStatus.PAID);
        }
        if (intent != null && "requires_capture".equals(intent.status())) {
            return Decision.attention(attempt.status(), Attention.UNCAPTURED, "Payment " + intent.id()
                    + " is authorised but not captured; the store never asks for that, so it was not accepted.");
        }
        if (intent != null && "canceled".equals(intent.status())) {
            return Decision.closed("the payment was cancelled");
        }
        if (session != null && "expired".equals(session.status())) {
            return Decision.closed("the checkout expired");
        }
        if (intent != null) {
            return Decision.to(switch (String.valueOf(intent.status())) {
                case "processing" -> AttemptStatus.PROCESSING;
                case "requires_action" -> AttemptStatus.REQUIRES_ACTION;
                case "requires_payment_method" -> intent.lastError() != null ? AttemptStatus.FAILED : AttemptStatus.STARTED;
                default -> AttemptStatus.STARTED;
            });
        }
        if (session != null && "complete".equals(session.status())) {
            return Decision.attention(attempt.status(), Attention.NO_PAYMENT, "Checkout " + session.id()
                    + " completed without a payment; the order was not marked paid.");
        }
        return Decision.to(attempt.status() == AttemptStatus.CREATING ? AttemptStatus.OPEN : attempt.status());
    }

    private static boolean receivedExactly(CheckoutAttempt attempt, IntentState intent) {
        return intent.amountReceived() == attempt.amount().minorUnits()
                && attempt.amount().currencyCode().equals(intent.currency() == null ? null : intent.currency().toLowerCase(Locale.ROOT));
    }

    private static String upper(String currency) {
        return currency == null ? "?" : currency.toUpperCase(Locale.ROOT);
    }
}
