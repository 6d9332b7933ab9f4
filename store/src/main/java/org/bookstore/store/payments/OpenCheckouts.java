package org.bookstore.store.payments;

import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import java.util.Optional;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderPayments;
import org.springframework.stereotype.Component;

/**
 * A cart with an open Checkout Session is locked: what Stripe would charge must always equal the order. Before a
 * locked cart changes, its session is expired at Stripe; if the buyer has meanwhile paid, the change is refused.
 */
@Component
public class OpenCheckouts {

    /** The cart's payment already went through: it can no longer change. */
    public static class AlreadyPaid extends RuntimeException {
        AlreadyPaid() {
            super("This cart has just been paid for, so it can no longer be changed.");
        }
    }

    private final StripeAccess stripe;
    private final OrderPayments payments;
    private final PaymentFulfilment fulfilment;

    OpenCheckouts(StripeAccess stripe, OrderPayments payments, PaymentFulfilment fulfilment) {
        this.stripe = stripe;
        this.payments = payments;
        this.fulfilment = fulfilment;
    }

    /**
     * Ends the cart's open checkout so the cart can change. Throws {@link AlreadyPaid} if it was paid, and
     * {@link PaymentsUnavailable} if Stripe cannot be asked (the cart then stays locked, and unchanged).
     */
    public void close(Order cart) {
        String sessionId = cart.payment().checkoutSessionId();
        if (sessionId == null) {
            if (cart.payment().paymentIntentId() != null) {
                cancelPaymentIntent(cart, cart.payment().paymentIntentId(),
                        "payment " + cart.payment().paymentIntentId() + " cancelled: the cart changed");
            }
            return;
        }
        Session session;
        try {
            session = stripe.client().v1().checkout().sessions().expire(sessionId);
        } catch (InvalidRequestException notOpen) {
            session = retrieve(sessionId);
        } catch (StripeException e) {
            throw new PaymentsUnavailable(e);
        }
        if ("complete".equals(session.getStatus())) {
            fulfilment.fulfilCheckoutSession(sessionId, "cart change found the checkout complete");
            throw new AlreadyPaid();
        }
        payments.checkoutExpired(cart.id(), sessionId, "checkout " + sessionId + " expired: the cart changed");
    }

    /** Ends a payment started on the store's page and then left; see {@link AbandonedPayments}. */
    void cancelAbandoned(Order order) {
        cancelPaymentIntent(order, order.payment().paymentIntentId(), "payment " + order.payment().paymentIntentId()
                + " cancelled: abandoned");
    }

    /** Cancels the payment started on the store's page, unless it has gone through, in which case the order is paid. */
    private void cancelPaymentIntent(Order cart, String paymentIntentId, String cause) {
        PaymentIntent intent;
        try {
            intent = stripe.client().v1().paymentIntents().cancel(paymentIntentId);
        } catch (InvalidRequestException notCancelable) {
            try {
                intent = stripe.client().v1().paymentIntents().retrieve(paymentIntentId);
            } catch (StripeException e) {
                throw new PaymentsUnavailable(e);
            }
        } catch (StripeException e) {
            throw new PaymentsUnavailable(e);
        }
        if ("succeeded".equals(intent.getStatus())) {
            fulfilment.fulfilPaymentIntent(paymentIntentId, "cart change found payment " + paymentIntentId + " succeeded");
            throw new AlreadyPaid();
        }
        if (!"canceled".equals(intent.getStatus())) {
            throw new PaymentsUnavailable(new IllegalStateException("payment " + paymentIntentId + " is " + intent.getStatus()));
        }
        payments.paymentIntentCanceled(cart.id(), paymentIntentId, cause);
    }

    /** The open session's page, if the session really is still open at Stripe; otherwise the order is caught up. */
    Optional<String> stillOpen(Order cart) {
        String sessionId = cart.payment().checkoutSessionId();
        Session session = retrieve(sessionId);
        if ("open".equals(session.getStatus())) {
            return Optional.of(session.getUrl());
        }
        fulfilment.fulfilCheckoutSession(sessionId, "checkout " + sessionId + " found " + session.getStatus());
        if ("complete".equals(session.getStatus())) {
            throw new AlreadyPaid();
        }
        return Optional.empty();
    }

    private Session retrieve(String sessionId) {
        try {
            return stripe.client().v1().checkout().sessions().retrieve(sessionId);
        } catch (StripeException e) {
            throw new PaymentsUnavailable(e);
        }
    }
}
