package org.bookstore.store.orders;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bookstore.store.catalog.Catalog;
import org.bookstore.store.common.Money;
import org.bookstore.store.common.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every change to an order's payment goes through here, whoever asks: a webhook, the success page, or a buyer
 * starting checkout, on any thread of any instance. Each method locks the order's row for its transaction, so
 * callers racing on one order are applied one after the other, and checks {@link OrderStatus#canMoveTo} so a late
 * or repeated event changes nothing. Each returns whether it changed the order.
 */
@Service
public class OrderPayments {

    private static final Logger log = LoggerFactory.getLogger(OrderPayments.class);

    private final OrderRepository orders;
    private final Catalog catalog;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    OrderPayments(OrderRepository orders, Catalog catalog, JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        this.orders = orders;
        this.catalog = catalog;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A checkout attempt: the order with its amount fixed (and its open payment, if one is already there). */
    public record CheckoutAttempt(Order order, int attempt) {
    }

    /** The order can no longer be paid as a cart: it is already being paid for, paid, or empty. */
    public static class NotPayable extends RuntimeException {
        public NotPayable(String message) {
            super(message);
        }
    }

    /**
     * Starts a checkout attempt for a cart, or joins the one under way: fixes the amount to charge and reserves
     * the stock (all or nothing, a {@code StockShortage} otherwise). A double click or a second tab gets the same
     * attempt number, and so the same idempotency key for Stripe.
     */
    public CheckoutAttempt beginCheckout(long orderId) {
        return transactions.execute(status -> {
            Order order = lockExisting(orderId);
            if (order.status() != OrderStatus.CART) {
                throw new NotPayable("This order is already being paid for.");
            }
            if (order.isEmpty()) {
                throw new NotPayable("Your cart is empty.");
            }
            if (order.payment().checkoutOpen()) {
                return new CheckoutAttempt(order, order.payment().checkoutAttempt());
            }
            if (!order.payment().stockReserved()) {
                catalog.reserve(quantities(order));
                jdbc.sql("UPDATE orders SET stock_reserved = TRUE, total_minor = ?, checkout_attempt = checkout_attempt + 1 WHERE id = ?")
                        .params(order.total().minorUnits(), orderId).update();
            }
            Order started = lockExisting(orderId);
            return new CheckoutAttempt(started, started.payment().checkoutAttempt());
        });
    }

    /** Records the Checkout Session made for an attempt. A session for an attempt that is no longer current is ignored. */
    public boolean attachCheckoutSession(long orderId, int attempt, String sessionId, String url) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Order order = lockExisting(orderId);
            if (order.status() != OrderStatus.CART || order.payment().checkoutAttempt() != attempt || order.payment().checkoutOpen()) {
                return false;
            }
            jdbc.sql("UPDATE orders SET checkout_session_id = ?, checkout_url = ? WHERE id = ?").params(sessionId, url, orderId).update();
            record(orderId, OrderStatus.CART, OrderStatus.CART, "checkout " + sessionId, "Checkout started for " + order.amountDue().display());
            return true;
        }));
    }

    /** Records the PaymentIntent made for an attempt on the store's own payment page. */
    public boolean attachPaymentIntent(long orderId, int attempt, String paymentIntentId) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Order order = lockExisting(orderId);
            if (paymentIntentId.equals(order.payment().paymentIntentId())) {
                return true;
            }
            if (order.status() != OrderStatus.CART || order.payment().checkoutAttempt() != attempt || order.payment().checkoutOpen()) {
                return false;
            }
            jdbc.sql("UPDATE orders SET payment_intent_id = ?, updated_at = ? WHERE id = ?")
                    .params(paymentIntentId, Timestamp.from(clock.instant()), orderId).update();
            record(orderId, OrderStatus.CART, OrderStatus.CART, "payment " + paymentIntentId, "Payment of "
                    + order.amountDue().display() + " started on the store's payment page");
            return true;
        }));
    }

    /**
     * The order's PaymentIntent was cancelled (the cart changed, or it was abandoned): the stock goes back and the
     * buyer has their cart again, as when a Checkout Session expires.
     */
    public boolean paymentIntentCanceled(long orderId, String paymentIntentId, String cause) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Order order = lockExisting(orderId);
            if (!paymentIntentId.equals(order.payment().paymentIntentId()) || order.payment().checkoutSessionId() != null) {
                return false;
            }
            return reopen(order, cause, "Payment " + paymentIntentId + " cancelled");
        }));
    }

    /** Gives the stock back after an attempt that produced no session (Stripe failed or timed out), so a retry starts afresh. */
    public void abandonCheckoutAttempt(long orderId, int attempt) {
        transactions.executeWithoutResult(status -> {
            Order order = lockExisting(orderId);
            if (order.status() == OrderStatus.CART && order.payment().checkoutAttempt() == attempt && !order.payment().checkoutOpen()) {
                releaseCheckout(order);
            }
        });
    }

    /**
     * The Checkout Session ended unpaid: it expired, or the store expired it because the buyer changed the cart.
     * The stock goes back and the buyer has their cart again: the order itself if they have no other cart, else
     * its books are added to the cart they have.
     */
    public boolean checkoutExpired(long orderId, String sessionId, String cause) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Order order = lockExisting(orderId);
            if (!sessionId.equals(order.payment().checkoutSessionId())) {
                return false;
            }
            return reopen(order, cause, "Checkout closed unpaid");
        }));
    }

    /** Ends an unpaid payment: stock back, and the books back in the buyer's cart (this order, or their open cart). */
    private boolean reopen(Order order, String cause, String what) {
        long orderId = order.id();
        if (order.status() == OrderStatus.CART) {
            releaseCheckout(order);
            record(orderId, OrderStatus.CART, OrderStatus.CART, cause, what + "; the cart can be changed again");
            return true;
        }
        if (!order.status().canMoveTo(OrderStatus.CART) || order.accountId() == null) {
            return false;
        }
        releaseCheckout(order);
        String cartKey = "account:" + order.accountId();
        Optional<Long> otherCart = jdbc.sql("SELECT id FROM orders WHERE cart_key = ?").param(cartKey).query(Long.class).optional();
        if (otherCart.isEmpty()) {
            jdbc.sql("UPDATE orders SET status = 'cart', cart_key = ?, updated_at = ? WHERE id = ?")
                    .params(cartKey, Timestamp.from(clock.instant()), orderId).update();
            record(orderId, order.status(), OrderStatus.CART, cause, what + "; the books are back in the cart");
        } else {
            Order cart = orders.lock(otherCart.get()).orElseThrow();
            for (OrderLine line : order.lines()) {
                int inCart = cart.line(line.bookId()).map(OrderLine::quantity).orElse(0);
                orders.putLine(cart.id(), line.bookId(), line.title(), cart.line(line.bookId()).map(OrderLine::unitPrice)
                        .orElse(line.unitPrice()), Math.min(99, inCart + line.quantity()));
            }
            move(order, OrderStatus.CANCELLED, cause, what + "; the books were added to the open cart");
        }
        return true;
    }

    /** Payment is under way ({@code payment_intent.created}): the cart becomes a pending order. */
    public boolean paymentStarted(long orderId, String paymentIntentId, String cause) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Order order = lockExisting(orderId);
            if (!order.status().canMoveTo(OrderStatus.PENDING)) {
                return false;
            }
            jdbc.sql("UPDATE orders SET payment_intent_id = COALESCE(payment_intent_id, ?) WHERE id = ?").params(paymentIntentId, orderId).update();
            move(order, OrderStatus.PENDING, cause, "Payment " + paymentIntentId + " started");
            return true;
        }));
    }

    /**
     * The payment succeeded. Only an amount and currency equal to what the order charges can mark it paid; the
     * Charge id is kept for the confirmation page and for refunds.
     */
    public boolean paid(long orderId, String paymentIntentId, String chargeId, Money amount, String cause) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Order order = lockExisting(orderId);
            if (order.status() == OrderStatus.PAID) {
                if (order.payment().chargeId() == null && chargeId != null) {
                    jdbc.sql("UPDATE orders SET charge_id = ? WHERE id = ?").params(chargeId, orderId).update();
                }
                return false;
            }
            if (!order.status().canMoveTo(OrderStatus.PAID)) {
                log.error("Order {} is {} but payment {} succeeded: it needs a refund", orderId, order.status().code(), paymentIntentId);
                return false;
            }
            if (!amount.equals(order.amountDue())) {
                log.error("Order {} charges {} but payment {} was for {}: not marked paid", orderId, order.amountDue(), paymentIntentId, amount);
                jdbc.sql("UPDATE orders SET payment_error = ? WHERE id = ?")
                        .params("Payment of " + amount.display() + " does not match the order total " + order.amountDue().display(), orderId)
                        .update();
                return false;
            }
            if (!order.payment().stockReserved()) {
                catalog.takeForPaidOrder(quantities(order));
            }
            jdbc.sql("UPDATE orders SET payment_intent_id = ?, charge_id = ?, paid_at = ?, payment_error = NULL, stock_reserved = TRUE, "
                            + "total_minor = ? WHERE id = ?")
                    .params(paymentIntentId, chargeId, Timestamp.from(clock.instant()), amount.minorUnits(), orderId).update();
            move(order, OrderStatus.PAID, cause, "Paid " + amount.display() + " (charge " + chargeId + ")");
            return true;
        }));
    }

    /** A payment attempt failed; the order stays payable and remembers why, for the buyer to read. */
    public boolean paymentFailed(long orderId, String paymentIntentId, String reason, String cause) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Order order = lockExisting(orderId);
            if (order.status() != OrderStatus.PAYMENT_FAILED && !order.status().canMoveTo(OrderStatus.PAYMENT_FAILED)) {
                return false;
            }
            jdbc.sql("UPDATE orders SET payment_error = ?, payment_intent_id = COALESCE(payment_intent_id, ?), updated_at = ? WHERE id = ?")
                    .params(reason, paymentIntentId, Timestamp.from(clock.instant()), orderId).update();
            if (order.status() != OrderStatus.PAYMENT_FAILED) {
                move(order, OrderStatus.PAYMENT_FAILED, cause, reason);
            }
            return true;
        }));
    }

    /**
     * Payments started on the store's own page and left alone since {@code before}: no Checkout Session expires
     * them, so the store does (see the payments module's abandoned-payment sweep).
     */
    public java.util.List<Order> abandonedPayments(java.time.Instant before) {
        return jdbc.sql("SELECT id FROM orders WHERE payment_intent_id IS NOT NULL AND checkout_session_id IS NULL "
                        + "AND status IN ('cart', 'pending', 'payment_failed') AND updated_at < ? ORDER BY id")
                .param(Timestamp.from(before)).query(Long.class).list().stream()
                .map(orders::findById).flatMap(Optional::stream).toList();
    }

    private Order lockExisting(long orderId) {
        return orders.lock(orderId).orElseThrow(() -> new NotFoundException("No such order."));
    }

    private void releaseCheckout(Order order) {
        if (order.payment().stockReserved()) {
            catalog.release(quantities(order));
        }
        jdbc.sql("UPDATE orders SET stock_reserved = FALSE, total_minor = NULL, checkout_session_id = NULL, checkout_url = NULL, "
                        + "payment_intent_id = NULL WHERE id = ?")
                .param(order.id()).update();
    }

    private void move(Order order, OrderStatus to, String cause, String detail) {
        if (!order.status().canMoveTo(to)) {
            throw new IllegalStateException("Order " + order.id() + " cannot move from " + order.status() + " to " + to);
        }
        jdbc.sql("UPDATE orders SET status = ?, cart_key = CASE WHEN ? = 'cart' THEN cart_key ELSE NULL END, "
                        + "updated_at = ?, version = version + 1 WHERE id = ?")
                .params(to.code(), to.code(), Timestamp.from(clock.instant()), order.id()).update();
        record(order.id(), order.status(), to, cause, detail);
    }

    private void record(long orderId, OrderStatus from, OrderStatus to, String cause, String detail) {
        jdbc.sql("INSERT INTO order_status_changes (order_id, from_status, to_status, changed_at, cause, detail) VALUES (?, ?, ?, ?, ?, ?)")
                .params(orderId, from.code(), to.code(), Timestamp.from(clock.instant()), truncate(cause, 300), truncate(detail, 1000))
                .update();
    }

    private static Map<Long, Integer> quantities(Order order) {
        Map<Long, Integer> quantities = new LinkedHashMap<>();
        order.lines().forEach(line -> quantities.merge(line.bookId(), line.quantity(), Integer::sum));
        return quantities;
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
