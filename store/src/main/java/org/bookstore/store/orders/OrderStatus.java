package org.bookstore.store.orders;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where an order is in its life, stored as the lower-case code. An order starts as the buyer's cart and only
 * moves forward: a late or repeated payment event can never take it back, and a final status never reopens.
 * The one step back is deliberate: a checkout that ends unpaid (expired, cancelled) gives the buyer their cart again.
 * A paid order moves only on to partially refunded and refunded, as refunds succeed; cancelled and refunded never
 * move. A refund that fails after it succeeded, and a dispute, are recorded beside the order, never as a step back.
 */
public enum OrderStatus {
    CART("cart", "In cart"),
    PENDING("pending", "Payment processing"),
    PAYMENT_FAILED("payment_failed", "Payment failed"),
    PAID("paid", "Paid"),
    CANCELLED("cancelled", "Cancelled"),
    PARTIALLY_REFUNDED("partially_refunded", "Partially refunded"),
    REFUNDED("refunded", "Refunded");

    private final String code;
    private final String label;

    OrderStatus(String code, String label) {
        this.code = code;
        this.label = label;
    }

    public String code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** No payment event can move it any more: it was paid (and perhaps refunded since), or cancelled. */
    public boolean isFinal() {
        return this == PAID || this == CANCELLED || this == PARTIALLY_REFUNDED || this == REFUNDED;
    }

    /** The buyer paid for it (whatever was refunded since). */
    public boolean paid() {
        return this == PAID || this == PARTIALLY_REFUNDED || this == REFUNDED;
    }

    /** Whether an order in this status may move to {@code next}. Staying put is not a move. */
    public boolean canMoveTo(OrderStatus next) {
        return allowedNext().contains(next);
    }

    private Set<OrderStatus> allowedNext() {
        return switch (this) {
            // Events can arrive in any order: "succeeded" or "failed" may come before "created".
            case CART -> EnumSet.of(PENDING, PAYMENT_FAILED, PAID, CANCELLED);
            case PENDING -> EnumSet.of(PAYMENT_FAILED, PAID, CART, CANCELLED);
            case PAYMENT_FAILED -> EnumSet.of(PAID, CART, CANCELLED);
            case PAID -> EnumSet.of(PARTIALLY_REFUNDED, REFUNDED);
            case PARTIALLY_REFUNDED -> EnumSet.of(REFUNDED);
            case CANCELLED, REFUNDED -> EnumSet.noneOf(OrderStatus.class);
        };
    }

    public static OrderStatus fromCode(String code) {
        return Arrays.stream(values())
                .filter(status -> status.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown order status " + code));
    }
}
