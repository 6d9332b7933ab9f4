package org.bookstore.store.payments;

/**
 * A checkout cannot go ahead, for a reason the buyer can act on. {@code next} is where to send them: the cart, the
 * order, or nowhere (stay on the page).
 */
public class CheckoutRefused extends RuntimeException {

    public enum Next { STAY, CART, ORDER }

    private final Next next;
    private final Long orderId;
    private final boolean paid;

    public CheckoutRefused(String message, Next next, Long orderId) {
        this(message, next, orderId, false);
    }

    private CheckoutRefused(String message, Next next, Long orderId, boolean paid) {
        super(message);
        this.next = next;
        this.orderId = orderId;
        this.paid = paid;
    }

    public static CheckoutRefused emptyCart() {
        return new CheckoutRefused("Your cart is empty: add a book before checking out.", Next.CART, null);
    }

    public static CheckoutRefused outOfStock(String title) {
        return new CheckoutRefused("Sorry, not enough copies of \u201c" + title + "\u201d are left for your order. "
                + "Please change the quantity in your cart.", Next.CART, null);
    }

    public static CheckoutRefused cartChanged(String newTotal) {
        return new CheckoutRefused("Your cart changed in another window: the total is now " + newTotal
                + ". Please review it and pay again.", Next.STAY, null);
    }

    public static CheckoutRefused alreadyPaid(long orderId) {
        return new CheckoutRefused("This order has just been paid for, so it can no longer be changed.", Next.ORDER, orderId, true);
    }

    public static CheckoutRefused inProgress(long orderId) {
        return new CheckoutRefused("Your payment for this order is being processed and cannot be stopped now. "
                + "We will update the order as soon as your bank answers.", Next.ORDER, orderId);
    }

    public static CheckoutRefused tooManyPayments(java.time.Duration wait) {
        long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
        return new CheckoutRefused("You have started a great many payments in a short time, so no new one can begin for now. "
                + "Please wait " + minutes + " minute(s) and try again; your cart is kept as it is.", Next.CART, null);
    }

    public static CheckoutRefused notPayable(long orderId, String why) {
        return new CheckoutRefused(why, Next.ORDER, orderId);
    }

    /** The order turned out to be paid: it is no longer a cart to change, and a new cart can take its place. */
    public boolean paid() {
        return paid;
    }

    public Next next() {
        return next;
    }

    public Long orderId() {
        return orderId;
    }
}
