package org.bookstore.store.payments.checkout;

import java.time.Instant;
import java.util.List;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.PayableOrder;

/**
 * One try at paying an order, recorded before Stripe is asked: the amount, lines, customer, expiry and idempotency
 * key are fixed here once, so asking Stripe again gets the same object. The Stripe ids are the ones Stripe gave the
 * store for this attempt; nothing else ever moves its order.
 */
public record CheckoutAttempt(long id, long orderId, long accountId, Integration integration, AttemptStatus status,
        String idempotencyKey, Money amount, String contentsDigest, String customerId, String publicUrl, Instant expiresAt,
        String checkoutSessionId, String checkoutUrl, String paymentIntentId, String stripeStatus, String chargeId,
        Money amountReceived, String failureMessage, String closeReason, Instant seenAt, Instant createdAt,
        Instant updatedAt, Instant paidAt, List<PayableOrder.Line> lines) {

    /** Stripe's hosted Checkout page, or the Payment Element on the store's own page. */
    public enum Integration {
        HOSTED("hosted"), EMBEDDED("embedded");

        private final String code;

        Integration(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Integration fromCode(String code) {
            return code.equals("hosted") ? HOSTED : EMBEDDED;
        }
    }

    public CheckoutAttempt {
        lines = List.copyOf(lines);
    }

    CheckoutAttempt withLines(List<PayableOrder.Line> lines) {
        return new CheckoutAttempt(id, orderId, accountId, integration, status, idempotencyKey, amount, contentsDigest, customerId,
                publicUrl, expiresAt, checkoutSessionId, checkoutUrl, paymentIntentId, stripeStatus, chargeId, amountReceived,
                failureMessage, closeReason, seenAt, createdAt, updatedAt, paidAt, lines);
    }

    public boolean hosted() {
        return integration == Integration.HOSTED;
    }

    public boolean live() {
        return !status.isFinal();
    }

    /** The same attempt with what Stripe last said about it. */
    CheckoutAttempt settled(AttemptStatus status, String paymentIntentId, String stripeStatus, String chargeId,
            Money amountReceived, String failureMessage, String closeReason, Instant seenAt, Instant paidAt) {
        return new CheckoutAttempt(id, orderId, accountId, integration, status, idempotencyKey, amount, contentsDigest, customerId,
                publicUrl, expiresAt, checkoutSessionId, checkoutUrl, paymentIntentId, stripeStatus, chargeId, amountReceived,
                failureMessage, closeReason, seenAt, createdAt, updatedAt, paidAt, lines);
    }

    /** The Stripe object this attempt is about: its Checkout Session, or its PaymentIntent on the store's page. */
    public String stripeObjectId() {
        return hosted() ? checkoutSessionId : paymentIntentId;
    }
}
