package org.bookstore.store.checkout;

import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.cart.CartService;
import org.bookstore.store.orders.CartOwner;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The checkout page: what will be charged, computed from the database, for the logged-in buyer's cart. */
@Controller
class CheckoutController {

    private final CartService carts;

    CheckoutController(CartService carts) {
        this.carts = carts;
    }

    @GetMapping("/checkout")
    String checkout(@AuthenticationPrincipal BuyerPrincipal buyer, Model model, RedirectAttributes redirect) {
        var cart = carts.cart(CartOwner.account(buyer.accountId())).filter(order -> !order.isEmpty());
        if (cart.isEmpty()) {
            redirect.addFlashAttribute("error", "Your cart is empty: add a book before checking out.");
            return "redirect:/cart";
        }
        model.addAttribute("order", cart.get());
        return "checkout/checkout";
    }
}
