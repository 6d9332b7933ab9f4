package org.bookstore.store.orders;

import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.bookstore.store.common.Money;

/**
 * An order: the buyer's cart until it is placed, then what they paid for. {@code liveAttemptId} names the checkout
 * attempt under way for it, if any: while it is set, the cart is locked, so what Stripe would charge always equals
 * the order. {@code placedAt} is when it stopped being a cart.
 */
public record Order(long id, Long accountId, OrderStatus status, Currency currency, List<OrderLine> lines,
        Instant createdAt, Instant updatedAt, Instant placedAt, Long liveAttemptId) {

    public Order {
        lines = List.copyOf(lines);
    }

    /** The total is always computed from the lines on the server, never taken from a request. */
    public Money total() {
        return lines.stream().map(OrderLine::total).reduce(Money.zero(currency), Money::plus);
    }

    /** A checkout attempt is under way: the cart cannot change until it is ended. */
    public boolean locked() {
        return liveAttemptId != null;
    }

    public boolean belongsTo(long account) {
        return accountId != null && accountId == account;
    }

    public int itemCount() {
        return lines.stream().mapToInt(OrderLine::quantity).sum();
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public Optional<OrderLine> line(long bookId) {
        return lines.stream().filter(line -> line.bookId() == bookId).findFirst();
    }
}
