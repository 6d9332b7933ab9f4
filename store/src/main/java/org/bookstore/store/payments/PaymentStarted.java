package org.bookstore.store.payments;

/** Stripe has a PaymentIntent for the order's attempt: the buyer is paying, so the cart becomes a placed order. */
public record PaymentStarted(long orderId, long attemptId, String cause) {
}
