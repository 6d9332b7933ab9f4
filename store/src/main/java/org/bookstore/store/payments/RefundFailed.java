package org.bookstore.store.payments;

import org.bookstore.store.common.Money;

/** A refund of the order's payment failed at Stripe (it may have been reported as succeeded first). */
public record RefundFailed(long orderId, String refundId, Money amount, String reason, String cause) {
}
