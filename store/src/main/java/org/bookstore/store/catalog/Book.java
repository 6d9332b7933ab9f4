package org.bookstore.store.catalog;

import org.bookstore.store.common.Money;

/**
 * A book on sale. Its price is the catalogue's current price; carts keep their own snapshot of it. An archived book is
 * no longer sold: it has left the homepage but keeps its page for past orders.
 */
public record Book(long id, String slug, String title, String author, String description, Money price, int stock,
        String coverColor, boolean archived) {

    public boolean inStock() {
        return stock > 0 && !archived;
    }

    /** Changes whenever the cover would look different, so a cover's URL can be cached for good. */
    public String coverVersion() {
        return CoverArt.version(this);
    }
}
