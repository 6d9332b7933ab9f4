package org.bookstore.store.payments;

import java.util.List;
import org.bookstore.store.common.Money;

/**
 * A checkout attempt was recorded for the order, before Stripe is asked for anything. Published inside the
 * attempt's transaction: the orders module locks the cart against changes and the catalogue reserves the stock,
 * and either may refuse with {@link CheckoutRefused}, which undoes the attempt.
 */
public record CheckoutStarted(long orderId, long attemptId, Money amount, List<PayableOrder.Line> lines) {
}
