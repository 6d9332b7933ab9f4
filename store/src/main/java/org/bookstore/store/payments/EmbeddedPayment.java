package org.bookstore.store.payments;

import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import java.util.Optional;
import java.util.Set;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderPayments;
import org.bookstore.store.orders.OrderRepository;
import org.bookstore.store.orders.OrderPayments.CheckoutAttempt;
import org.bookstore.store.orders.OrderStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Paying on the store's own page with the Payment Element. The PaymentIntent is made when the buyer presses "Pay"
 * (Stripe's deferred-intent flow), from the order's amount in the database, one per checkout attempt, under an
 * idempotency key: so {@code payment_intent.created} means a payment is under way, as with Checkout, and a
 * double click or a retry after a decline confirms the same PaymentIntent.
 */
@Component
public class EmbeddedPayment {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPayment.class);
    private static final Set<String> CONFIRMABLE = Set.of("requires_payment_method", "requires_confirmation", "requires_action");

    /** The page showed a cart that has changed since: the buyer must see the new total before paying it. */
    public static class CartChanged extends RuntimeException {
        public CartChanged(Order cart) {
            super("Your cart changed in another window: the total is now " + cart.total().display()
                    + ". Please review it and pay again.");
        }
    }

    private final StripeAccess stripe;
    private final OrderPayments payments;
    private final StripeCustomers customers;
    private final OpenCheckouts openCheckouts;
    private final PaymentFulfilment fulfilment;
    private final OrderRepository orders;

    EmbeddedPayment(StripeAccess stripe, OrderPayments payments, StripeCustomers customers, OpenCheckouts openCheckouts,
            PaymentFulfilment fulfilment, OrderRepository orders) {
        this.orders = orders;
        this.stripe = stripe;
        this.payments = payments;
        this.customers = customers;
        this.openCheckouts = openCheckouts;
        this.fulfilment = fulfilment;
    }

    /**
     * The client secret to confirm the order's payment with. {@code shownDigest} is the {@link CartDigest} of the
     * cart the page displayed; the amount itself always comes from the database.
     */
    public String clientSecret(Order order, BuyerPrincipal buyer, String shownDigest) {
        if (order.status() == OrderStatus.PENDING || order.status() == OrderStatus.PAYMENT_FAILED) {
            return retry(order);
        }
        if (order.status() != OrderStatus.CART) {
            throw new OrderPayments.NotPayable("This order is already " + order.status().label().toLowerCase() + ".");
        }
        if (!CartDigest.of(order).equals(shownDigest)) {
            throw new CartChanged(order);
        }
        CheckoutAttempt attempt;
        try {
            attempt = payments.beginCheckout(order.id());
        } catch (OrderPayments.NotPayable moved) {
            // A second press raced the first one's payment_intent.created: pay the same PaymentIntent.
            Order now = orders.findById(order.id()).orElseThrow(() -> moved);
            if (now.status() == OrderStatus.PENDING || now.status() == OrderStatus.PAYMENT_FAILED) {
                return retry(now);
            }
            throw moved;
        }
        if (attempt.order().payment().checkoutSessionId() != null) {
            // A Checkout Session was opened for this cart: it is expired before this page takes over.
            openCheckouts.close(attempt.order());
            attempt = payments.beginCheckout(order.id());
        }
        String existing = attempt.order().payment().paymentIntentId();
        if (existing != null) {
            Optional<String> secret = stillConfirmable(existing);
            if (secret.isPresent()) {
                return secret.get();
            }
            attempt = payments.beginCheckout(order.id());
        }
        PaymentIntent intent;
        try {
            intent = create(attempt, buyer);
        } catch (StripeException e) {
            log.warn("Could not create a PaymentIntent for order {}: {}", order.id(), e.getMessage());
            payments.abandonCheckoutAttempt(order.id(), attempt.attempt());
            throw new PaymentsUnavailable(e);
        }
        if (!payments.attachPaymentIntent(order.id(), attempt.attempt(), intent.getId())) {
            throw new CartChanged(order);
        }
        return intent.getClientSecret();
    }

    private PaymentIntent create(CheckoutAttempt attempt, BuyerPrincipal buyer) throws StripeException {
        Order order = attempt.order();
        String orderId = Long.toString(order.id());
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(order.amountDue().minorUnits())
                .setCurrency(order.amountDue().currencyCode())
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder().setEnabled(true).build())
                .setCustomer(customers.customerFor(buyer))
                .setDescription("Bookstore order #" + orderId)
                .putMetadata(CheckoutSessionCreator.ORDER_ID, orderId)
                .build();
        String key = "payment-intent-order-" + orderId + "-attempt-" + attempt.attempt() + "-" + CartDigest.of(order);
        return stripe.client().v1().paymentIntents().create(params, RequestOptions.builder().setIdempotencyKey(key).build());
    }

    /** Paying again after a decline: the same PaymentIntent, still for the order's amount. */
    private String retry(Order order) {
        String existing = order.payment().paymentIntentId();
        if (existing == null || order.payment().checkoutSessionId() != null) {
            throw new OrderPayments.NotPayable("This order is being paid on Stripe's payment page.");
        }
        return stillConfirmable(existing).orElseThrow(
                () -> new OrderPayments.NotPayable("This payment can no longer be completed; its books are back in your cart."));
    }

    /**
     * The PaymentIntent's client secret while it can still be confirmed. Otherwise the order catches up with it
     * (paid, or given back as a cart if cancelled) and there is nothing to confirm; a paid one is {@code AlreadyPaid}.
     */
    private Optional<String> stillConfirmable(String paymentIntentId) {
        PaymentIntent intent;
        try {
            intent = stripe.client().v1().paymentIntents().retrieve(paymentIntentId);
        } catch (StripeException e) {
            throw new PaymentsUnavailable(e);
        }
        if (CONFIRMABLE.contains(intent.getStatus())) {
            return Optional.of(intent.getClientSecret());
        }
        fulfilment.fulfilPaymentIntent(paymentIntentId, "payment page found " + paymentIntentId + " " + intent.getStatus());
        if ("succeeded".equals(intent.getStatus())) {
            throw new OpenCheckouts.AlreadyPaid();
        }
        return Optional.empty();
    }
}
