package org.bookstore.store.cart;

/** The number of copies of one book in a cart: a whole number from 1 to 99. */
final class Quantity {

    static final int MAX = 99;
    static final String RULE = "Quantity must be a whole number from 1 to " + MAX + ".";

    private Quantity() {}

    /** Parses what the buyer typed, refusing anything but 1 to 99 with a message they can act on. */
    static int parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (!trimmed.matches("\\d{1,3}")) {
            throw new CartException(RULE);
        }
        int quantity = Integer.parseInt(trimmed);
        if (quantity < 1 || quantity > MAX) {
            throw new CartException(RULE);
        }
        return quantity;
    }
}
