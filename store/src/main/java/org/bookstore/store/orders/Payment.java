package org.bookstore.store.orders;

import java.time.Instant;
import org.bookstore.store.common.Money;

/**
 * An order's payment: the amount fixed when checkout started, the Stripe objects paying it, and what went wrong
 * last. All of it is written by the server from Stripe's answers, never taken from the browser.
 */
public record Payment(Money amount, int checkoutAttempt, String checkoutSessionId, String checkoutUrl,
        boolean stockReserved, String paymentIntentId, String chargeId, String error, Instant paidAt) {

    public boolean checkoutOpen() {
        return checkoutSessionId != null;
    }
}
