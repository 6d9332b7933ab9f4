package org.bookstore.store.payments;

import java.time.Clock;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderPayments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A payment started on the store's own page and then left (the tab closed, the buyer gone) would keep its stock
 * reserved and the buyer's books out of their cart forever: a Checkout Session expires, a PaymentIntent does not.
 * After {@code bookstore.stripe.checkout-expires-after} without activity, the store cancels it, which gives both back.
 * Every instance may run this at once: cancelling is idempotent and each order change takes the order's row lock.
 */
@Component
public class AbandonedPayments {

    private static final Logger log = LoggerFactory.getLogger(AbandonedPayments.class);

    private final OrderPayments payments;
    private final OpenCheckouts openCheckouts;
    private final StripeSettings settings;
    private final Clock clock;

    AbandonedPayments(OrderPayments payments, OpenCheckouts openCheckouts, StripeSettings settings, Clock clock) {
        this.payments = payments;
        this.openCheckouts = openCheckouts;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${bookstore.stripe.abandoned-payment-sweep:PT1M}", initialDelayString = "PT1M")
    void sweep() {
        cancelIdleSince(clock.instant().minus(settings.checkoutExpiresAfter()));
    }

    /** Cancels payments idle since {@code before}; returns how many were cancelled. */
    public int cancelIdleSince(java.time.Instant before) {
        int cancelled = 0;
        for (Order order : payments.abandonedPayments(before)) {
            try {
                openCheckouts.cancelAbandoned(order);
                cancelled++;
            } catch (OpenCheckouts.AlreadyPaid paid) {
                log.info("Abandoned-looking payment {} of order {} had gone through", order.payment().paymentIntentId(), order.id());
            } catch (PaymentsUnavailable unavailable) {
                log.warn("Could not cancel abandoned payment {} of order {}: {}", order.payment().paymentIntentId(), order.id(),
                        unavailable.getCause().getMessage());
            }
        }
        return cancelled;
    }

    @Configuration
    @EnableScheduling
    static class Scheduling {
    }
}
