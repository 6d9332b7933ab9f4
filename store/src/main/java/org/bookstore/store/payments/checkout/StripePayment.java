package org.bookstore.store.payments.checkout;

import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.model.checkout.Session;
import java.time.Instant;

/**
 * What Stripe says about an attempt's payment at one moment: its Checkout Session (for the hosted page) and its
 * PaymentIntent, if there is one yet. Read from Stripe by the store itself, or from a signed webhook event.
 */
public record StripePayment(Instant seenAt, SessionState session, IntentState intent) {

    public record SessionState(String id, String status, String paymentStatus, String paymentIntentId) {
    }

    public record IntentState(String id, String status, long amountReceived, String currency, String captureMethod,
            String latestCharge, Failure lastError) {
    }

    /** A payment's failure as Stripe reports it in {@code last_payment_error}. */
    public record Failure(String type, String code, String declineCode, String message, String chargeId, String paymentMethodId) {

        static Failure of(StripeError error) {
            if (error == null) {
                return null;
            }
            return new Failure(error.getType(), error.getCode(), error.getDeclineCode(), error.getMessage(), error.getCharge(),
                    error.getPaymentMethod() == null ? null : error.getPaymentMethod().getId());
        }

        /** Tells this failure apart from the intent's other failures: its failed charge, or its payment method and code. */
        String key() {
            return chargeId != null ? chargeId : "pm:" + paymentMethodId + ":" + code;
        }
    }

    public static StripePayment of(Session session, Instant seenAt) {
        PaymentIntent intent = session.getPaymentIntentObject();
        String intentId = intent != null ? intent.getId() : session.getPaymentIntent();
        return new StripePayment(seenAt,
                new SessionState(session.getId(), session.getStatus(), session.getPaymentStatus(), intentId),
                intent == null ? null : state(intent));
    }

    public static StripePayment of(PaymentIntent intent, Instant seenAt) {
        return new StripePayment(seenAt, null, state(intent));
    }

    private static IntentState state(PaymentIntent intent) {
        return new IntentState(intent.getId(), intent.getStatus(), intent.getAmountReceived() == null ? 0 : intent.getAmountReceived(),
                intent.getCurrency(), intent.getCaptureMethod(), intent.getLatestCharge(), Failure.of(intent.getLastPaymentError()));
    }
}
