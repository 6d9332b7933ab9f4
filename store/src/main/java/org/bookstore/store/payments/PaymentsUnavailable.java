package org.bookstore.store.payments;

/**
 * Stripe could not be reached, timed out, or refused the store's request: nothing was changed, and trying again is
 * safe. Whether it was Stripe or the store's own configuration is in the log, not in front of the buyer.
 */
public class PaymentsUnavailable extends RuntimeException {

    public static final String MESSAGE = "Payments are unavailable right now. Your cart is safe; please try again in a moment.";

    public PaymentsUnavailable(Throwable cause) {
        super(MESSAGE, cause);
    }
}
