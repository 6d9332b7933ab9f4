package org.bookstore.store.orders;

import java.util.Arrays;

/** Where an order is in its life, stored as the lower-case code. An order starts as the buyer's cart. */
public enum OrderStatus {
    CART("cart"),
    PENDING("pending"),
    PAID("paid"),
    CANCELLED("cancelled");

    private final String code;

    OrderStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static OrderStatus fromCode(String code) {
        return Arrays.stream(values())
                .filter(status -> status.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown order status " + code));
    }
}
