package org.bookstore.store.payments;

import com.stripe.exception.StripeException;

/**
 * What to do when a refund or dispute read from Stripe is about a payment the store has not recorded as paid: the
 * payment's own events may still be waiting to be tried again while these got through. Settles the payment from
 * Stripe's state if it is one of the store's, and says whether it did.
 */
@FunctionalInterface
public interface UnsettledPayment {

    /** Leaves such a refund or dispute unrecorded (a re-check of a paid order, where there is nothing to settle). */
    UnsettledPayment LEAVE = paymentIntentId -> false;

    /** True if the payment is now recorded as paid; false if it is not one of the store's, or there is none. */
    boolean settled(String paymentIntentId) throws StripeException;
}
