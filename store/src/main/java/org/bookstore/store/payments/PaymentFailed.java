package org.bookstore.store.payments;

/** A payment of the order failed; {@code reason} is written for the buyer. The order can still be paid. */
public record PaymentFailed(long orderId, long attemptId, String reason, String cause) {
}
