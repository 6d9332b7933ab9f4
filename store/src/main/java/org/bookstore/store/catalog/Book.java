package org.bookstore.store.catalog;

import org.bookstore.store.common.Money;

/** A book on sale. Its price is the catalogue's current price; carts keep their own snapshot of it. */
public record Book(long id, String slug, String title, String author, String description, Money price, int stock,
        String coverColor) {

    public boolean inStock() {
        return stock > 0;
    }

    /** Changes whenever the cover would look different, so a cover's URL can be cached for good. */
    public String coverVersion() {
        return CoverArt.version(this);
    }
}
