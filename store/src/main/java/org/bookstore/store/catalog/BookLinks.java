package org.bookstore.store.catalog;

import org.springframework.stereotype.Component;

/**
 * For pages that list books by id (cart, checkout): the book's page and cover, so each line can show its thumbnail and
 * link back to the book. Used from templates as {@code @bookLinks}.
 */
@Component("bookLinks")
public class BookLinks {

    private final Catalog catalog;

    BookLinks(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The book, archived or not; null if there is no such book any more. */
    public Book find(long bookId) {
        return catalog.findById(bookId).orElse(null);
    }
}
