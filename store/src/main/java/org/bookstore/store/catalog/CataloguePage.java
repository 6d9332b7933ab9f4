package org.bookstore.store.catalog;

import java.util.List;

/**
 * One page of the catalogue, reached by keyset: the links go to the books after the last one shown or before the
 * first, so a page deep in a large catalogue costs what the first one does.
 */
public record CataloguePage(List<Book> books, Sorting sorting, long totalBooks, boolean hasPrevious, boolean hasNext) {

    public boolean isFirst() {
        return !hasPrevious;
    }

    /** The id the "Next" link starts after. */
    public long lastId() {
        return books.get(books.size() - 1).id();
    }

    /** The id the "Previous" link ends before. */
    public long firstId() {
        return books.get(0).id();
    }
}
