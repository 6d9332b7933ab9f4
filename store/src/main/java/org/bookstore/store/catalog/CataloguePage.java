package org.bookstore.store.catalog;

import java.util.List;

/** One page of the catalogue; {@code number} counts from 1. */
public record CataloguePage(List<Book> books, int number, int size, long totalBooks) {

    public int totalPages() {
        return (int) Math.max(1, (totalBooks + size - 1) / size);
    }

    public boolean hasPrevious() {
        return number > 1;
    }

    public boolean hasNext() {
        return number < totalPages();
    }
}
