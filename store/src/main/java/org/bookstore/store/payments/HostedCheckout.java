package org.bookstore.store.payments;

import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import java.util.Optional;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderPayments;
import org.bookstore.store.orders.OrderPayments.CheckoutAttempt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Paying with Stripe Checkout: fix the order's amount and reserve its stock, make (or find) the Checkout Session,
 * and hand back the hosted page's address for a 303 redirect. Stripe failing leaves the cart as it was.
 */
@Component
public class HostedCheckout {

    private static final Logger log = LoggerFactory.getLogger(HostedCheckout.class);

    private final OrderPayments payments;
    private final StripeCustomers customers;
    private final CheckoutSessionCreator sessions;
    private final OpenCheckouts openCheckouts;

    HostedCheckout(OrderPayments payments, StripeCustomers customers, CheckoutSessionCreator sessions, OpenCheckouts openCheckouts) {
        this.payments = payments;
        this.customers = customers;
        this.sessions = sessions;
        this.openCheckouts = openCheckouts;
    }

    /**
     * The hosted payment page for the buyer's cart. A session already open for it is reused, so a double click or
     * a second tab lands on the same page. Throws {@link PaymentsUnavailable} when Stripe cannot be reached.
     */
    public String paymentPage(Order cart, BuyerPrincipal buyer, String storeUrl) {
        CheckoutAttempt attempt = payments.beginCheckout(cart.id());
        if (attempt.order().payment().checkoutSessionId() != null) {
            Optional<String> stillOpen = openCheckouts.stillOpen(attempt.order());
            if (stillOpen.isPresent()) {
                return stillOpen.get();
            }
            attempt = payments.beginCheckout(cart.id());
        } else if (attempt.order().payment().checkoutOpen()) {
            // A payment started on the store's own page: cancel it before Checkout takes over.
            openCheckouts.close(attempt.order());
            attempt = payments.beginCheckout(cart.id());
        }
        Session session;
        try {
            String customer = customers.customerFor(buyer);
            session = sessions.create(attempt.order(), attempt.attempt(), customer, storeUrl);
        } catch (StripeException e) {
            log.warn("Could not create a Checkout Session for order {}: {}", cart.id(), e.getMessage());
            payments.abandonCheckoutAttempt(cart.id(), attempt.attempt());
            throw new PaymentsUnavailable(e);
        }
        payments.attachCheckoutSession(cart.id(), attempt.attempt(), session.getId(), session.getUrl());
        return session.getUrl();
    }
}
