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
import org.bookstore.store.catalog.RenderedPages;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderLine;
import org.bookstore.store.orders.OrderRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.format.support.FormattingConversionService;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.handler.ConversionServiceExposingInterceptor;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.mvc.AbstractController;
import org.springframework.web.servlet.resource.ResourceUrlProvider;
import org.springframework.web.servlet.resource.ResourceUrlProviderExposingInterceptor;

/**
 * The cart page, the page a logged-in buyer opens most. The cart is read on every request; the page is rendered again
 * only when something it shows changed: a line, a price, a price change, logging in, or a line's book's address or
 * cover (as read at most {@code bookstore.catalog.fresh-for} ago).
 * <p>It is a plain controller on a URL mapping of its own, asked before the annotated controllers' mapping: finding an
 * annotated method for a request (matching every condition of its mapping, then resolving the method's arguments)
 * took more of a kept cart page's time than Spring Security's whole filter chain (a tenth of it, in a profile of the
 * logged-in cart). Everything else Spring MVC does around a handler still happens: flash messages, the locale,
 * exception resolvers and, with the same interceptors as its other mappings, the links to versioned style sheets.
 */
class CartPage extends AbstractController {

    static final String PATH = "/cart";

    private final OrderRepository orders;
    private final RenderedPages pages;
    private final BookLinks bookLinks;

    CartPage(OrderRepository orders, RenderedPages pages, BookLinks bookLinks) {
        // GET and HEAD only (OPTIONS is answered with them): anything else is a 405, as for an annotated GET mapping.
        super(true);
        setSupportedMethods("GET", "HEAD");
        this.orders = orders;
        this.pages = pages;
        this.bookLinks = bookLinks;
    }

    @Override
    protected ModelAndView handleRequestInternal(HttpServletRequest request, HttpServletResponse response) throws Exception {
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
        return null;
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

    @Configuration(proxyBeanMethods = false)
    static class Mapping {

        /**
         * Before the annotated controllers' mapping, which Spring MVC orders at 0, and the functional endpoints' at -1.
         * With the interceptors Spring MVC gives its own mappings: the conversion service and the resource URLs,
         * which the layout's links to versioned style sheets are made with.
         */
        @Bean
        SimpleUrlHandlerMapping cartPageMapping(OrderRepository orders, RenderedPages pages, BookLinks bookLinks,
                FormattingConversionService mvcConversionService, ResourceUrlProvider mvcResourceUrlProvider) {
            var mapping = new SimpleUrlHandlerMapping(Map.of(PATH, new CartPage(orders, pages, bookLinks)),
                    Ordered.HIGHEST_PRECEDENCE);
            mapping.setInterceptors(new ConversionServiceExposingInterceptor(mvcConversionService),
                    new ResourceUrlProviderExposingInterceptor(mvcResourceUrlProvider));
            return mapping;
        }
    }
}
