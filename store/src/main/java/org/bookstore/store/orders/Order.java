package org.bookstore.store.orders;

import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.bookstore.store.common.Money;

public record Order(long id, Long accountId, OrderStatus status, Currency currency, List<OrderLine> lines,
        Instant createdAt, Instant updatedAt, Payment payment) {

    public Order {
        lines = List.copyOf(lines);
    }

    /** The total is always computed from the lines on the server, never taken from a request. */
    public Money total() {
        return lines.stream().map(OrderLine::total).reduce(Money.zero(currency), Money::plus);
    }

    /** What the buyer is charged: the amount fixed at checkout once there is one, else the lines' total. */
    public Money amountDue() {
        return payment != null && payment.amount() != null ? payment.amount() : total();
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
