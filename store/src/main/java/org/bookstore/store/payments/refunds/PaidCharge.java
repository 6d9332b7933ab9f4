package org.bookstore.store.payments.refunds;

import org.bookstore.store.common.Money;

/** The paid checkout attempt of an order, as refunds and disputes need it: the Stripe ids recorded when it was paid. */
public record PaidCharge(long attemptId, long orderId, String paymentIntentId, String chargeId, Money received) {
}
