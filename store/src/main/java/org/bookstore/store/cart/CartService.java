package org.bookstore.store.cart;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.bookstore.store.catalog.Book;
import org.bookstore.store.catalog.Catalog;
import org.bookstore.store.common.ClientCounts;
import org.bookstore.store.orders.CartOwner;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderLine;
import org.bookstore.store.orders.OrderRepository;
import org.bookstore.store.orders.OrderStatus;
import org.bookstore.store.payments.CheckoutRefused;
import org.bookstore.store.payments.Payments;
import org.bookstore.store.payments.PaymentsUnavailable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Changes to a buyer's cart. Each change locks the cart's row, checks the rules (1 to 99 copies, never more than
 * the stock) against what is in the database at that moment, and either applies fully or not at all.
 */
@Service
public class CartService {

    private final Catalog catalog;
    private final OrderRepository orders;
    private final TransactionTemplate transactions;
    private final Payments payments;
    private final ClientCounts counts;
    private final ClientCounts.Limit newGuestCarts;

    CartService(Catalog catalog, OrderRepository orders, TransactionTemplate transactions, Payments payments,
            ClientCounts counts, @Value("${bookstore.cart.max-new-guest-carts-per-address:50}") int maxNewGuestCarts,
            @Value("${bookstore.cart.new-guest-carts-window:PT15M}") Duration window) {
        this.catalog = catalog;
        this.orders = orders;
        this.transactions = transactions;
        this.payments = payments;
        this.counts = counts;
        this.newGuestCarts = new ClientCounts.Limit(maxNewGuestCarts, window, window);
    }

    public Optional<Order> cart(CartOwner owner) {
        return orders.findOpenCart(owner);
    }

    /**
     * Adds copies of a book, on top of any already in the cart. Returns the book added. A guest's first add opens a
     * cart row, and one client may open only so many within the window ({@link TooManyNewCarts}): a robot posting
     * the form without the cart cookie would otherwise write a row a request, kept for a month.
     */
    Book add(CartOwner owner, String bookId, String quantityText, String clientAddress) {
        Book book = book(bookId);
        int quantity = Quantity.parse(quantityText);
        if (book.archived()) {
            throw new CartException("Sorry, \u201c" + book.title() + "\u201d is no longer sold.");
        }
        if (!book.inStock()) {
            throw new CartException("Sorry, \u201c" + book.title() + "\u201d is out of stock.");
        }
        for (int tries = 0; ; tries++) {
            try {
                addTo(orders.openCart(owner, book.price().currency(), () -> {
                    if (owner.guestToken() != null) {
                        counts.take("guest-carts:" + ClientCounts.client(clientAddress), newGuestCarts)
                                .ifPresent(wait -> {
                                    throw new TooManyNewCarts(wait);
                                });
                    }
                }), book, quantity);
                return book;
            } catch (CartPaidMeanwhile paid) {
                // That cart was paid for a moment ago (its news had not arrived yet): the book starts a new cart.
                if (tries > 0) {
                    throw paid;
                }
            }
        }
    }

    private void addTo(long cartId, Book book, int quantity) {
        changeLocked(cartId, cart -> wantedAfterAdding(cart, book, quantity), cart -> {
            int wanted = wantedAfterAdding(cart, book, quantity);
            String title = cart.line(book.id()).map(OrderLine::title).orElse(book.title());
            var unitPrice = cart.line(book.id()).map(OrderLine::unitPrice).orElse(book.price());
            orders.putLine(cart.id(), book.id(), title, unitPrice, wanted);
        });
    }

    /** How many copies the cart would hold after the add, or why it cannot. */
    private static int wantedAfterAdding(Order cart, Book book, int quantity) {
        if (!cart.currency().equals(book.price().currency())) {
            throw new CartException("Your cart is in " + cart.currency() + " and \u201c" + book.title()
                    + "\u201d is priced in " + book.price().currency() + "; please check out separately.");
        }
        int inCart = cart.line(book.id()).map(OrderLine::quantity).orElse(0);
        int wanted = inCart + quantity;
        if (wanted > Quantity.MAX) {
            throw new CartException("You can have at most " + Quantity.MAX + " copies of a book in your cart"
                    + (inCart > 0 ? " (you already have " + inCart + ")." : "."));
        }
        checkStock(book, wanted, inCart);
        return wanted;
    }

    void changeQuantity(CartOwner owner, String bookId, String quantityText) {
        Book book = book(bookId);
        int quantity = Quantity.parse(quantityText);
        Order cart = orders.findOpenCart(owner).orElseThrow(CartService::notInCart);
        Consumer<Order> allowed = locked -> {
            locked.line(book.id()).orElseThrow(CartService::notInCart);
            checkStock(book, quantity, 0);
        };
        changeLocked(cart.id(), allowed, locked -> {
            allowed.accept(locked);
            OrderLine line = locked.line(book.id()).orElseThrow(CartService::notInCart);
            orders.putLine(locked.id(), book.id(), line.title(), line.unitPrice(), quantity);
        });
    }

    void remove(CartOwner owner, String bookId) {
        Book book = book(bookId);
        Order cart = orders.findOpenCart(owner).orElseThrow(CartService::notInCart);
        changeLocked(cart.id(), unlocked -> unlocked.line(book.id()).orElseThrow(CartService::notInCart), locked -> {
            if (!orders.removeLine(locked.id(), book.id())) {
                throw notInCart();
            }
        });
    }

    /**
     * Moves a guest's cart into the account's cart after log-in: quantities are added and capped at 99 and at the
     * stock; the guest cart is then deleted.
     */
    void mergeGuestCart(String guestToken, long accountId) {
        Optional<Order> guestCart = orders.findOpenCart(CartOwner.guest(guestToken));
        if (guestCart.isEmpty()) {
            return;
        }
        long accountCartId = orders.openCart(CartOwner.account(accountId), guestCart.get().currency());
        Optional<Order> accountCart = orders.findById(accountCartId).filter(Order::locked);
        if (accountCart.isPresent()) {
            try {
                closeCheckout(accountCart.get());
            } catch (CartException locked) {
                return; // The guest cart stays as it is and is merged at the next log-in.
            }
        }
        transactions.executeWithoutResult(status -> {
            Optional<Order> guest = orders.lockCart(guestCart.get().id());
            Optional<Order> account = orders.lockCart(accountCartId);
            if (guest.isEmpty() || account.isEmpty() || account.get().locked()) {
                return;
            }
            for (OrderLine line : guest.get().lines()) {
                Optional<Book> book = catalog.findById(line.bookId());
                if (book.isEmpty() || !book.get().inStock() || !account.get().currency().equals(guest.get().currency())) {
                    continue;
                }
                Optional<OrderLine> existing = account.get().line(line.bookId());
                int merged = Math.min(existing.map(OrderLine::quantity).orElse(0) + line.quantity(),
                        Math.min(Quantity.MAX, book.get().stock()));
                orders.putLine(accountCartId, line.bookId(), existing.map(OrderLine::title).orElse(line.title()),
                        existing.map(OrderLine::unitPrice).orElse(line.unitPrice()), merged);
            }
            orders.delete(guest.get().id());
        });
    }

    /**
     * Applies a change under the cart's row lock. A cart with a checkout under way is locked: the checkout is ended
     * at Stripe first (its session expired, its payment cancelled), so what Stripe would charge always equals the cart.
     * {@code allowed} is first asked of the cart as it was just read, before anything is locked or ended: a change
     * refused on that (too many copies, not in the cart) writes nothing, as the row lock would be a write on an
     * embedded H2 file, and leaves a checkout under way as it was (the cart it would charge for has not changed). The
     * change itself checks again under the lock.
     */
    private void changeLocked(long cartId, Consumer<Order> allowed, Consumer<Order> change) {
        for (int tries = 0; tries < 3; tries++) {
            Optional<Order> read = orders.findById(cartId);
            read.filter(cart -> cart.status() == OrderStatus.CART).ifPresent(allowed);
            read.filter(Order::locked).ifPresent(this::closeCheckout);
            Boolean applied = transactions.execute(status -> {
                // No longer a cart: its payment went through (or got under way) a moment ago, so it cannot change;
                // a book being added starts a new cart.
                Order cart = orders.lockCart(cartId).orElseThrow(() -> new CartPaidMeanwhile(
                        "That cart has just been paid for, so it can no longer be changed: see Your orders."));
                if (cart.locked()) {
                    return false;
                }
                change.accept(cart);
                return true;
            });
            if (Boolean.TRUE.equals(applied)) {
                return;
            }
        }
        throw new CartException("A payment for this cart was just started in another window. Please try again.");
    }

    private void closeCheckout(Order cart) {
        try {
            payments.closeCheckout(cart.id(), "the cart changed");
        } catch (CheckoutRefused refused) {
            throw refused.paid() ? new CartPaidMeanwhile(refused.getMessage()) : new CartException(refused.getMessage());
        } catch (PaymentsUnavailable unavailable) {
            throw new CartException("Your cart is waiting for a payment and we could not reach Stripe to cancel it. "
                    + "Nothing was changed; please try again in a moment.");
        }
    }

    private Book book(String bookId) {
        if (bookId == null || !bookId.matches("\\d{1,18}")) {
            throw new CartException("That book is not in our catalogue.");
        }
        return catalog.findById(Long.parseLong(bookId))
                .orElseThrow(() -> new CartException("That book is not in our catalogue."));
    }

    private static void checkStock(Book book, int wanted, int inCart) {
        if (wanted > book.stock()) {
            throw new CartException("Only " + book.stock() + (book.stock() == 1 ? " copy" : " copies") + " of \u201c"
                    + book.title() + "\u201d " + (book.stock() == 1 ? "is" : "are") + " in stock"
                    + (inCart > 0 ? " and you already have " + inCart + " in your cart." : "."));
        }
    }

    /** The cart being changed was paid for (or its payment got under way) meanwhile. */
    static final class CartPaidMeanwhile extends CartException {
        CartPaidMeanwhile(String message) {
            super(message);
        }
    }

    private static CartException notInCart() {
        return new CartException("That book is not in your cart.");
    }

    /** A guest's client has opened as many new carts as it may within the window; {@link #wait} is what is left. */
    static final class TooManyNewCarts extends RuntimeException {
        final Duration wait;

        TooManyNewCarts(Duration wait) {
            super("Too many new carts from one client; retry in " + wait, null, false, false);
            this.wait = wait;
        }
    }
}
