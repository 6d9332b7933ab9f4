package org.bookstore.store.catalog;

import java.util.List;

/** A page of books matching a search, best first unless the shopper chose another order. */
public record SearchResults(SearchQuery query, List<Match> matches, Sorting sorting, int page, int pageSize, long total) {

    /** A matching book with its title, author and a piece of its description as HTML, the searched words marked. */
    public record Match(Book book, String titleHtml, String authorHtml, String excerptHtml) {
    }

    public int totalPages() {
        return (int) Math.min(MAX_PAGES, Math.max(1, (total + pageSize - 1) / pageSize));
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < totalPages();
    }

    /** Ranked results are paged by number; past this many pages a shopper is better served by more words. */
    public static final int MAX_PAGES = 50;
}
