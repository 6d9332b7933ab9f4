package org.bookstore.store.orders;

import java.time.Instant;
import org.bookstore.store.common.Money;

/**
 * An order's payment: the amount fixed when checkout started, the Stripe objects paying it, and what went wrong
 * last. All of it is written by the server from Stripe's answers, never taken from the browser.
 */
public record Payment(Money amount, int checkoutAttempt, String checkoutSessionId, String checkoutUrl,
        boolean stockReserved, String paymentIntentId, String chargeId, String error, Instant paidAt) {

    /**
     * Whether a payment is open for the order: a Checkout Session, or a PaymentIntent made on the store's own page.
     * A cart with an open payment is locked.
     */
    public boolean checkoutOpen() {
        return checkoutSessionId != null || paymentIntentId != null;
    }
}
