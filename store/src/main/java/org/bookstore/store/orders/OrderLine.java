package org.bookstore.store.orders;

import org.bookstore.store.common.Money;

/** One book in an order, with the unit price it had when it was put in the cart. */
public record OrderLine(long bookId, String title, Money unitPrice, int quantity) {

    public Money total() {
        return unitPrice.times(quantity);
    }
}
