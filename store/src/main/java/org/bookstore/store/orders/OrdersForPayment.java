package org.bookstore.store.orders;

import java.util.Optional;
import org.bookstore.store.payments.PayableOrder;
import org.bookstore.store.payments.PayableOrders;
import org.springframework.stereotype.Component;

/** Orders as the payments module reads them. */
@Component
class OrdersForPayment implements PayableOrders {

    private final OrderRepository orders;

    OrdersForPayment(OrderRepository orders) {
        this.orders = orders;
    }

    @Override
    public Optional<PayableOrder> cartOf(long accountId) {
        return orders.findOpenCart(CartOwner.account(accountId)).map(OrdersForPayment::payable);
    }

    @Override
    public Optional<PayableOrder> find(long orderId) {
        return orders.findById(orderId).filter(order -> order.accountId() != null).map(OrdersForPayment::payable);
    }

    private static PayableOrder payable(Order order) {
        return new PayableOrder(order.id(), order.accountId(), order.status() == OrderStatus.CART, order.currency(),
                order.lines().stream().map(line -> new PayableOrder.Line(line.bookId(), line.title(), line.unitPrice(), line.quantity()))
                        .toList());
    }
}
