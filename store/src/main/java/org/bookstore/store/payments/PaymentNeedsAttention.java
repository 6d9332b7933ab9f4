package org.bookstore.store.payments;

/**
 * Something about a payment needs a person and was kept off the order's status: an amount that does not match, a
 * payment the store did not make naming one of its orders, a payment taken after its checkout was closed.
 */
public record PaymentNeedsAttention(String kind, Long orderId, String stripeObjectId, String detail) {
}
