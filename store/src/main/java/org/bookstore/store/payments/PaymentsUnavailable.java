package org.bookstore.store.payments;

/** Stripe could not be reached, timed out, or asked us to slow down: nothing was changed, and trying again is safe. */
public class PaymentsUnavailable extends RuntimeException {

    public static final String MESSAGE = "Payments are unavailable right now. Your cart is safe; please try again in a moment.";

    PaymentsUnavailable(Throwable cause) {
        super(MESSAGE, cause);
    }
}
