package org.bookstore.store.catalog;

/** Not enough copies of a book are left for an order; nothing was taken out of stock. */
public class StockShortage extends RuntimeException {

    private final String title;

    public StockShortage(String title) {
        super("Not enough copies of \u201c" + title + "\u201d are left");
        this.title = title;
    }

    public String title() {
        return title;
    }
}
