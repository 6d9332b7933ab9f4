package org.bookstore.store.cart;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.bookstore.store.catalog.Catalog;
import org.bookstore.store.orders.CartOwner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The cart's forms (the page itself is {@link CartPage}). Every change answers with a redirect (post/redirect/get)
 * carrying either a confirmation or the reason it was refused; a refused change leaves the cart exactly as it was.
 */
@Controller
class CartController {

    static final String CART_PATH = CartPage.PATH;

    private final CartService carts;
    private final Catalog catalog;

    CartController(CartService carts, Catalog catalog) {
        this.carts = carts;
        this.catalog = catalog;
    }

    @PostMapping(CART_PATH + "/add")
    String add(@RequestParam(name = "bookId", required = false) String bookId,
            @RequestParam(name = "quantity", required = false) String quantity,
            HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect, Model model) {
        CartOwner owner = CartOwners.current(request).orElseGet(() -> CartOwner.guest(GuestCartCookie.issue(response)));
        try {
            var book = carts.add(owner, bookId, quantity, request.getRemoteAddr());
            redirect.addFlashAttribute("notice", "Added \u201c" + book.title() + "\u201d to your cart.");
            return "redirect:" + CART_PATH;
        } catch (CartException refused) {
            redirect.addFlashAttribute("error", refused.getMessage());
            return "redirect:" + bookPageOrCart(bookId);
        } catch (CartService.TooManyNewCarts refused) {
            // Answered at once, with nothing written: no cart, and no session to carry a message.
            long seconds = Math.max(1, refused.wait.toSeconds());
            model.addAttribute("minutes", (seconds + 59) / 60);
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            return "cart/too-many-carts";
        }
    }

    @PostMapping(CART_PATH + "/lines/{bookId}")
    String changeQuantity(@PathVariable String bookId, @RequestParam(name = "quantity", required = false) String quantity,
            HttpServletRequest request, RedirectAttributes redirect) {
        return change(request, redirect, owner -> carts.changeQuantity(owner, bookId, quantity), "Quantity updated.");
    }

    @PostMapping(CART_PATH + "/lines/{bookId}/remove")
    String remove(@PathVariable String bookId, HttpServletRequest request, RedirectAttributes redirect) {
        return change(request, redirect, owner -> carts.remove(owner, bookId), "Removed from your cart.");
    }

    private String change(HttpServletRequest request, RedirectAttributes redirect,
            java.util.function.Consumer<CartOwner> change, String notice) {
        try {
            CartOwner owner = CartOwners.current(request).orElseThrow(() -> new CartException("That book is not in your cart."));
            change.accept(owner);
            redirect.addFlashAttribute("notice", notice);
        } catch (CartException refused) {
            redirect.addFlashAttribute("error", refused.getMessage());
        }
        return "redirect:" + CART_PATH;
    }

    private String bookPageOrCart(String bookId) {
        if (bookId != null && bookId.matches("\\d{1,18}")) {
            return catalog.findById(Long.parseLong(bookId)).map(book -> "/books/" + book.slug()).orElse(CART_PATH);
        }
        return CART_PATH;
    }
}
