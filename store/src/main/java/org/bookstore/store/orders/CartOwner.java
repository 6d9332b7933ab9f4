package org.bookstore.store.orders;

import java.util.Objects;

/** Who a cart belongs to: a logged-in account, or a guest known by the random token in their cart cookie. */
public record CartOwner(Long accountId, String guestToken) {

    public CartOwner {
        if ((accountId == null) == (guestToken == null)) {
            throw new IllegalArgumentException("A cart belongs to exactly one account or one guest");
        }
    }

    public static CartOwner account(long accountId) {
        return new CartOwner(accountId, null);
    }

    public static CartOwner guest(String token) {
        return new CartOwner(null, Objects.requireNonNull(token));
    }

    /** The value of the orders.cart_key column, unique among open carts. */
    String cartKey() {
        return accountId != null ? "account:" + accountId : "guest:" + guestToken;
    }
}
