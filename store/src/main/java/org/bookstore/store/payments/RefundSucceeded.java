package org.bookstore.store.payments;

import org.bookstore.store.common.Money;

/** Stripe reports a refund of the order's payment as succeeded, made by the store or outside it (the Dashboard). */
public record RefundSucceeded(long orderId, String refundId, Money amount, String cause) {
}
