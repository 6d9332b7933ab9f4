package org.bookstore.store.orders;

import java.time.Instant;

/** One step of an order's payment timeline, with the Stripe event or store request that caused it. */
public record StatusChange(OrderStatus from, OrderStatus to, Instant at, String cause, String detail) {
}
