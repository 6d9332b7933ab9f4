package org.bookstore.store.payments;

import org.bookstore.store.common.Money;

/** Stripe took the order's payment, for exactly the attempt's amount and currency. */
public record OrderPaid(long orderId, long attemptId, String paymentIntentId, String chargeId, Money amount, String cause) {
}
