package org.bookstore.store.cart;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.orders.CartOwner;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Whose cart a request is about: the logged-in buyer's, else the guest cookie's, else nobody's yet. */
final class CartOwners {

    private CartOwners() {}

    static Optional<CartOwner> current(HttpServletRequest request) {
        Optional<Long> accountId = loggedInAccount();
        if (accountId.isPresent()) {
            return Optional.of(CartOwner.account(accountId.get()));
        }
        return GuestCartCookie.read(request).map(CartOwner::guest);
    }

    static Optional<Long> loggedInAccount() {
        return loggedInBuyer().map(BuyerPrincipal::accountId);
    }

    static Optional<BuyerPrincipal> loggedInBuyer() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof BuyerPrincipal buyer) {
            return Optional.of(buyer);
        }
        return Optional.empty();
    }
}
