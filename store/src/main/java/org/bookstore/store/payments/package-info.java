/**
 * Taking payment through Stripe, the whole path in one place: checkout attempts recorded before Stripe is asked,
 * the Checkout Sessions and PaymentIntents made for them, the one decision that turns what Stripe says into the
 * attempt's next state, webhooks, the success and return pages, and reconciliation.
 *
 * <p>Other modules use {@link org.bookstore.store.payments.Payments} and react to its events
 * ({@link org.bookstore.store.payments.CheckoutStarted}, {@link org.bookstore.store.payments.PaymentStarted},
 * {@link org.bookstore.store.payments.PaymentFailed}, {@link org.bookstore.store.payments.OrderPaid},
 * {@link org.bookstore.store.payments.CheckoutClosed}); the orders module tells it what an order contains through
 * {@link org.bookstore.store.payments.PayableOrders}. Its sub-packages are internal.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "accounts"})
package org.bookstore.store.payments;
