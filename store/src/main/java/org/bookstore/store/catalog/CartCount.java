package org.bookstore.store.catalog;

/**
 * The number of books in the current visitor's cart, as the page header shows it. The cart module answers; catalogue
 * pages reused across visitors put each visitor's own count in.
 */
public interface CartCount {

    int itemCount();
}
