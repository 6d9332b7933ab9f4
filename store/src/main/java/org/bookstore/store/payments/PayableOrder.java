package org.bookstore.store.payments;

import java.util.Currency;
import java.util.List;
import org.bookstore.store.common.Money;

/**
 * An order as payments needs to see it: whose it is, what it buys and for how much. {@code cart} is true while it
 * is still the buyer's cart (not yet placed).
 */
public record PayableOrder(long orderId, long accountId, boolean cart, Currency currency, List<Line> lines) {

    public PayableOrder {
        lines = List.copyOf(lines);
    }

    /** One book in the order with the unit price it is charged at. */
    public record Line(long bookId, String title, Money unitPrice, int quantity) {
        public Money total() {
            return unitPrice.times(quantity);
        }
    }

    public Money total() {
        return lines.stream().map(Line::total).reduce(Money.zero(currency), Money::plus);
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }
}
