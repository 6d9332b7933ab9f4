package org.bookstore.store.cart;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.catalog.Book;
import org.bookstore.store.catalog.BookLinks;
import org.bookstore.store.catalog.Catalog;
import org.bookstore.store.catalog.RenderedPages;
import org.bookstore.store.orders.CartOwner;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderLine;
import org.bookstore.store.orders.OrderRepository;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The cart page and its forms. Every change answers with a redirect (post/redirect/get) carrying either a
 * confirmation or the reason it was refused; a refused change leaves the cart exactly as it was.
 */
@Controller
class CartController {

    static final String CART_PATH = "/cart";

    private final CartService carts;
    private final Catalog catalog;
    private final OrderRepository orders;
    private final RenderedPages pages;
    private final BookLinks bookLinks;

    CartController(CartService carts, Catalog catalog, OrderRepository orders, RenderedPages pages, BookLinks bookLinks) {
        this.carts = carts;
        this.catalog = catalog;
        this.orders = orders;
        this.pages = pages;
        this.bookLinks = bookLinks;
    }

    /**
     * The cart is read on every request; the page is rendered again only when something it shows changed: a line, a
     * price, a price change, logging in, or a line's book's address or cover (as read at most
     * {@code bookstore.catalog.fresh-for} ago).
     */
    @GetMapping(CART_PATH)
    void cart(HttpServletRequest request, HttpServletResponse response) throws Exception {
        var view = CartOwners.current(request).flatMap(orders::openCartView).filter(found -> !found.cart().isEmpty());
        var cart = view.map(OrderRepository.CartView::cart);
        List<OrderRepository.PriceChange> priceChanges = view.map(OrderRepository.CartView::priceChanges).orElse(List.of());
        Optional<BuyerPrincipal> buyer = CartOwners.loggedInBuyer();
        CartBadge.known(request, cart.map(Order::itemCount).orElse(0));
        // The books the page links to and shows the covers of, read once here so the page shows what its key says.
        Map<Long, Book> books = new HashMap<>();
        cart.ifPresent(found -> found.lines().forEach(line -> books.put(line.bookId(), bookLinks.recent(line.bookId()))));
        String key = pageKey(cart, priceChanges, books, buyer.map(BuyerPrincipal::getDisplayName));
        pages.serveWhileKeyHolds(key, "cart/cart", () -> {
            Map<String, Object> model = new HashMap<>();
            model.put("cart", cart.orElse(null));
            model.put("priceChanges", priceChanges);
            model.put("books", books);
            model.put("loggedIn", buyer.isPresent());
            return model;
        }, request, response);
    }

    /**
     * What the cart page shows, as the key its rendering is kept under (the rest of the header, the buyer's account
     * and roles, is the visitor's kind): the cart, each line's book, title, unit price and quantity, the book's address
     * and what its cover is drawn from (none if the book is gone), each price change, and the logged-in buyer's name.
     * Written out in minor units, as formatting every amount on every request cost more than serving the kept page.
     * Every text is preceded by its length, so no two different pages share a key.
     */
    static String pageKey(Optional<Order> cart, List<OrderRepository.PriceChange> priceChanges, Map<Long, Book> books,
            Optional<String> buyerName) {
        StringBuilder key = new StringBuilder(256).append("cart ");
        if (cart.isEmpty()) {
            key.append("empty");
        } else {
            key.append(cart.get().id()).append(' ').append(cart.get().currency().getCurrencyCode());
            for (OrderLine line : cart.get().lines()) {
                key.append("\n").append(line.bookId()).append(' ').append(line.unitPrice().minorUnits()).append(' ')
                        .append(line.quantity()).append(' ');
                text(key, line.title());
                Book book = books.get(line.bookId());
                if (book == null) {
                    key.append(" gone");
                } else {
                    text(text(text(text(key.append(" book "), book.slug()), book.title()), book.author()), book.coverColor());
                }
            }
        }
        for (OrderRepository.PriceChange change : priceChanges) {
            text(key.append("\nchanged ").append(change.before().minorUnits()).append(' ').append(change.now().minorUnits())
                    .append(' '), change.title());
        }
        key.append("\n");
        buyerName.ifPresentOrElse(name -> text(key.append("buyer "), name), () -> key.append("guest"));
        return key.toString();
    }

    private static StringBuilder text(StringBuilder key, String text) {
        return text == null ? key.append("- ") : key.append(text.length()).append(' ').append(text).append(' ');
    }

    @PostMapping(CART_PATH + "/add")
    String add(@RequestParam(name = "bookId", required = false) String bookId,
            @RequestParam(name = "quantity", required = false) String quantity,
            HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
        CartOwner owner = CartOwners.current(request).orElseGet(() -> CartOwner.guest(GuestCartCookie.issue(response)));
        try {
            var book = carts.add(owner, bookId, quantity);
            redirect.addFlashAttribute("notice", "Added \u201c" + book.title() + "\u201d to your cart.");
            return "redirect:" + CART_PATH;
        } catch (CartException refused) {
            redirect.addFlashAttribute("error", refused.getMessage());
            return "redirect:" + bookPageOrCart(bookId);
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
