package org.bookstore.store.cart;

import java.util.Optional;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** When a guest logs in or registers, the books in their guest cart move into their account's cart. */
@Component
class GuestCartMerge {

    private final CartService carts;

    GuestCartMerge(CartService carts) {
        this.carts = carts;
    }

    @EventListener
    void onLogin(AuthenticationSuccessEvent event) {
        if (!(event.getAuthentication().getPrincipal() instanceof BuyerPrincipal buyer)
                || !(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return;
        }
        Optional<String> guestToken = GuestCartCookie.read(attributes.getRequest());
        if (guestToken.isEmpty()) {
            return;
        }
        carts.mergeGuestCart(guestToken.get(), buyer.accountId());
        if (attributes.getResponse() != null) {
            GuestCartCookie.clear(attributes.getResponse());
        }
    }
}
