package org.bookstore.store.orders;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.bookstore.store.common.NotFoundException;
import org.bookstore.store.payments.CheckoutClosed;
import org.bookstore.store.payments.CheckoutRefused;
import org.bookstore.store.payments.CheckoutStarted;
import org.bookstore.store.payments.DisputeClosed;
import org.bookstore.store.payments.DisputeOpened;
import org.bookstore.store.payments.PaymentRecords;
import org.bookstore.store.payments.RefundFailed;
import org.bookstore.store.payments.RefundIssued;
import org.bookstore.store.payments.RefundSucceeded;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.OrderPaid;
import org.bookstore.store.payments.PayableOrder;
import org.bookstore.store.payments.PaymentFailed;
import org.bookstore.store.payments.PaymentStarted;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Moves orders as their payments progress. Each handler runs inside the payments module's transaction that made the
 * change, under the order's row lock, and checks {@link OrderStatus#canMoveTo}, so the order and its payment never
 * disagree and nothing late or repeated moves an order back. Every change is recorded, with its cause, in the order's
 * timeline.
 */
@Component
class OrderPayments {

    private final OrderRepository orders;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final PaymentRecords payments;

    OrderPayments(OrderRepository orders, JdbcClient jdbc, Clock clock, PaymentRecords payments) {
        this.orders = orders;
        this.jdbc = jdbc;
        this.clock = clock;
        this.payments = payments;
    }

    /** A checkout attempt began: the cart must still hold exactly what the attempt charges for, and is locked. */
    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void on(CheckoutStarted started) {
        org.bookstore.store.orders.Order order = lockExisting(started.orderId());
        if (order.status() != OrderStatus.CART) {
            throw CheckoutRefused.notPayable(order.id(), "This order is already " + order.status().label().toLowerCase() + ".");
        }
        if (!sameLines(order, started.lines())) {
            throw CheckoutRefused.cartChanged(order.total().display());
        }
        jdbc.sql("UPDATE orders SET live_attempt_id = ?, updated_at = ? WHERE id = ?")
                .params(started.attemptId(), now(), order.id()).update();
        // The buyer has seen any new price by now: the notice about it has done its job.
        jdbc.sql("UPDATE order_lines SET previous_unit_price_minor = NULL WHERE order_id = ?").param(order.id()).update();
        record(order.id(), OrderStatus.CART, OrderStatus.CART, "checkout attempt " + started.attemptId(),
                "Checkout started for " + started.amount().display());
    }

    @EventListener
    void on(PaymentStarted started) {
        org.bookstore.store.orders.Order order = lockExisting(started.orderId());
        if (order.status().canMoveTo(OrderStatus.PENDING)) {
            move(order, OrderStatus.PENDING, started.cause(), "Payment started");
        }
    }

    @EventListener
    void on(PaymentFailed failed) {
        org.bookstore.store.orders.Order order = lockExisting(failed.orderId());
        if (order.status().canMoveTo(OrderStatus.PAYMENT_FAILED)) {
            move(order, OrderStatus.PAYMENT_FAILED, failed.cause(), "The payment did not go through: " + failed.reason());
        }
    }

    @EventListener
    void on(OrderPaid paid) {
        org.bookstore.store.orders.Order order = lockExisting(paid.orderId());
        if (order.status().canMoveTo(OrderStatus.PAID)) {
            move(order, OrderStatus.PAID, paid.cause(), "Paid " + paid.amount().display());
        }
    }

    /**
     * The checkout ended unpaid: the cart unlocks; an order already placed goes back to being the buyer's cart, or,
     * if they have started another cart meanwhile, its books are added to that one.
     */
    @EventListener
    void on(CheckoutClosed closed) {
        org.bookstore.store.orders.Order order = lockExisting(closed.orderId());
        if (order.liveAttemptId() != null && order.liveAttemptId() == closed.attemptId()) {
            jdbc.sql("UPDATE orders SET live_attempt_id = NULL, updated_at = ? WHERE id = ?").params(now(), order.id()).update();
        }
        String what = "Checkout closed unpaid (" + closed.reason() + ")";
        if (order.status() == OrderStatus.CART) {
            record(order.id(), OrderStatus.CART, OrderStatus.CART, closed.cause(), what + "; the cart can be changed again");
            return;
        }
        if (!order.status().canMoveTo(OrderStatus.CART) || order.accountId() == null) {
            return;
        }
        String cartKey = "account:" + order.accountId();
        Optional<Long> otherCart = jdbc.sql("SELECT id FROM orders WHERE cart_key = ?").param(cartKey).query(Long.class).optional();
        if (otherCart.isEmpty()) {
            jdbc.sql("UPDATE orders SET status = 'cart', cart_key = ?, placed_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?")
                    .params(cartKey, now(), order.id()).update();
            record(order.id(), order.status(), OrderStatus.CART, closed.cause(), what + "; the books are back in the cart");
        } else {
            org.bookstore.store.orders.Order cart = orders.lock(otherCart.get()).orElseThrow();
            for (OrderLine line : order.lines()) {
                int inCart = cart.line(line.bookId()).map(OrderLine::quantity).orElse(0);
                orders.putLine(cart.id(), line.bookId(), line.title(), cart.line(line.bookId()).map(OrderLine::unitPrice)
                        .orElse(line.unitPrice()), Math.min(99, inCart + line.quantity()));
            }
            move(order, OrderStatus.CANCELLED, closed.cause(), what + "; the books were added to the open cart");
        }
    }

    /** A refund was made (maybe still pending): recorded in the timeline; the status moves only once it succeeds. */
    @EventListener
    void on(RefundIssued issued) {
        org.bookstore.store.orders.Order order = lockExisting(issued.orderId());
        String pending = "succeeded".equals(issued.status()) ? "" : " (pending)";
        record(order.id(), order.status(), order.status(), issued.cause(), "Refund of " + issued.amount().display() + " started" + pending, false);
    }

    /** A refund succeeded: the order is refunded once refunds add up to what was paid, else partially refunded. */
    @EventListener
    void on(RefundSucceeded succeeded) {
        org.bookstore.store.orders.Order order = lockExisting(succeeded.orderId());
        Money received = payments.received(order.id()).orElse(null);
        Money refunded = payments.refunded(order.id()).orElse(null);
        OrderStatus to = received != null && refunded != null && refunded.minorUnits() >= received.minorUnits()
                ? OrderStatus.REFUNDED : OrderStatus.PARTIALLY_REFUNDED;
        String detail = "Refunded " + succeeded.amount().display();
        if (order.status().canMoveTo(to)) {
            move(order, to, succeeded.cause(), detail);
        } else {
            record(order.id(), order.status(), order.status(), succeeded.cause(), detail, false);
        }
    }

    /** A refund failed (perhaps after it succeeded): said in the timeline; the status never moves back. */
    @EventListener
    void on(RefundFailed failed) {
        org.bookstore.store.orders.Order order = lockExisting(failed.orderId());
        record(order.id(), order.status(), order.status(), failed.cause(),
                "The refund of " + failed.amount().display() + " did not go through: " + failed.reason(), false);
    }

    /** Disputes are for the shop owner's eyes: recorded in the timeline, never moving the order. */
    @EventListener
    void on(DisputeOpened opened) {
        org.bookstore.store.orders.Order order = lockExisting(opened.orderId());
        record(order.id(), order.status(), order.status(), opened.cause(), "Payment disputed (" + opened.reason().replace('_', ' ')
                + ", " + opened.amount().display() + ")", true);
    }

    @EventListener
    void on(DisputeClosed closed) {
        org.bookstore.store.orders.Order order = lockExisting(closed.orderId());
        record(order.id(), order.status(), order.status(), closed.cause(), "Dispute closed: " + closed.status().replace('_', ' '), true);
    }

    private static boolean sameLines(org.bookstore.store.orders.Order order, List<PayableOrder.Line> charged) {
        List<PayableOrder.Line> now = order.lines().stream()
                .map(line -> new PayableOrder.Line(line.bookId(), line.title(), line.unitPrice(), line.quantity())).toList();
        return now.equals(charged);
    }

    private org.bookstore.store.orders.Order lockExisting(long orderId) {
        return orders.lock(orderId).orElseThrow(() -> new NotFoundException("No such order."));
    }

    private void move(org.bookstore.store.orders.Order order, OrderStatus to, String cause, String detail) {
        jdbc.sql("UPDATE orders SET status = ?, cart_key = NULL, placed_at = COALESCE(placed_at, ?), updated_at = ?, "
                        + "version = version + 1 WHERE id = ?")
                .params(to.code(), now(), now(), order.id()).update();
        record(order.id(), order.status(), to, cause, detail);
    }

    private void record(long orderId, OrderStatus from, OrderStatus to, String cause, String detail) {
        record(orderId, from, to, cause, detail, false);
    }

    /** {@code internal}: shown in the back office only, not on the buyer's order page. */
    private void record(long orderId, OrderStatus from, OrderStatus to, String cause, String detail, boolean internal) {
        jdbc.sql("INSERT INTO order_status_changes (order_id, from_status, to_status, changed_at, cause, detail, internal) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(orderId, from.code(), to.code(), now(), truncate(cause, 300), truncate(detail, 1000), internal)
                .update();
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
