package org.bookstore.store.payments;

import java.util.Optional;

/** How payments reads orders; the orders module provides it, so payments never depends on orders. */
public interface PayableOrders {

    /** The account's open cart, if it has one. */
    Optional<PayableOrder> cartOf(long accountId);

    Optional<PayableOrder> find(long orderId);
}
