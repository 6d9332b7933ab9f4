package org.bookstore.store.payments.checkout;

/**
 * What a buyer reads when a payment fails. Stripe writes card errors for customers ("Your card was declined."); its
 * other errors are written for developers and become plain words here.
 */
final class FailureMessages {

    static final String GENERIC = "The payment did not go through. Please try again, or use another card.";

    private FailureMessages() {}

    static String forBuyer(StripePayment.Failure failure) {
        if (failure == null) {
            return GENERIC;
        }
        if ("payment_intent_authentication_failure".equals(failure.code())) {
            return "Your bank could not confirm that it was you, so the payment did not go through. "
                    + "Please try again, or use another card.";
        }
        if ("card_error".equals(failure.type()) && failure.message() != null && !failure.message().isBlank()) {
            return failure.message();
        }
        return GENERIC;
    }
}
