/**
 * Orders and their lines: a buyer's cart is an order in status {@code cart}. Orders move as their payments progress,
 * reacting to the payments module's events; {@link org.bookstore.store.orders.OrderStatus} holds the legal moves.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "payments", "accounts"})
package org.bookstore.store.orders;
