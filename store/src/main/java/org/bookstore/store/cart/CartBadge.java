package org.bookstore.store.cart;

import jakarta.servlet.http.HttpServletRequest;
import org.bookstore.store.catalog.CartCount;
import org.bookstore.store.orders.OrderRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The item count in the page header. The layout calls {@code ${@cartBadge.itemCount()}} while it renders, so the
 * count is only looked up for pages that show it, error pages included.
 */
@Component("cartBadge")
public class CartBadge implements CartCount {

    private final OrderRepository orders;

    CartBadge(OrderRepository orders) {
        this.orders = orders;
    }

    private static final String KNOWN = CartBadge.class.getName() + ".known";

    @Override
    public int itemCount() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return 0;
        }
        HttpServletRequest request = attributes.getRequest();
        if (request.getAttribute(KNOWN) instanceof Integer known) {
            return known;
        }
        return CartOwners.current(request).map(orders::itemsInOpenCart).orElse(0);
    }

    /** The cart page has just read the cart: the header shows its count without asking again. */
    static void known(HttpServletRequest request, int itemCount) {
        request.setAttribute(KNOWN, itemCount);
    }
}
