package org.bookstore.store.payments;

/** A dispute of the order's payment ended: {@code status} is Stripe's ({@code won}, {@code lost}, ...). */
public record DisputeClosed(long orderId, String disputeId, String status, String cause) {
}
