package org.bookstore.store.payments.checkout;

import java.util.Arrays;

/**
 * Where a checkout attempt is, as the store last learnt it from Stripe. Only Stripe's final states (a payment
 * succeeded; a session expired or a PaymentIntent was cancelled) make an attempt final, so a final attempt never
 * moves again, whatever arrives late.
 */
public enum AttemptStatus {
    /** Recorded, and Stripe asked to make the session or PaymentIntent; its answer is not recorded yet. */
    CREATING("creating"),
    /** Stripe made it; the buyer has not submitted a payment yet. */
    OPEN("open"),
    /** A PaymentIntent exists and waits for the buyer's payment method or confirmation. */
    STARTED("started"),
    /** The buyer must authenticate (3-D Secure) to go on. */
    REQUIRES_ACTION("requires_action"),
    /** The payment method was accepted and the payment is being processed (e.g. a bank debit). */
    PROCESSING("processing"),
    /** The last payment failed; the buyer may try again. */
    FAILED("failed"),
    PAID("paid"),
    /** Ended unpaid: expired, cancelled, or never made. */
    CLOSED("closed");

    private final String code;

    AttemptStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public boolean isFinal() {
        return this == PAID || this == CLOSED;
    }

    /** The buyer is paying (or has tried to): the order is no longer a cart. */
    public boolean underWay() {
        return this == STARTED || this == REQUIRES_ACTION || this == PROCESSING || this == FAILED;
    }

    public static AttemptStatus fromCode(String code) {
        return Arrays.stream(values()).filter(status -> status.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown attempt status " + code));
    }
}
