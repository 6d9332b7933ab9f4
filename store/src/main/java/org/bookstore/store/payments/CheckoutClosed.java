package org.bookstore.store.payments;

import java.util.List;

/**
 * The attempt ended unpaid (its session expired, its PaymentIntent was cancelled, or Stripe refused to make it):
 * the catalogue puts the reserved stock back and the orders module gives the buyer their cart again.
 */
public record CheckoutClosed(long orderId, long attemptId, List<PayableOrder.Line> lines, String reason, String cause) {
}
