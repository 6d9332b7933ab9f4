package org.bookstore.store.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * For pages that list books by id (cart, checkout): the book's page and cover, so each line can show its thumbnail and
 * link back to the book. Used from templates as {@code @bookLinks}.
 */
@Component("bookLinks")
public class BookLinks {

    private final Catalog catalog;
    /** Books as read at most {@code bookstore.catalog.fresh-for} ago, as the catalogue's kept pages show them. */
    private final Cache<Long, Optional<Book>> recent;

    BookLinks(Catalog catalog, @Value("${bookstore.catalog.fresh-for:500ms}") Duration freshFor) {
        this.catalog = catalog;
        this.recent = Caffeine.newBuilder().expireAfterWrite(freshFor).maximumSize(10_000).build();
    }

    /** The book, archived or not; null if there is no such book any more. */
    public Book find(long bookId) {
        return catalog.findById(bookId).orElse(null);
    }

    /**
     * The book as read from the database at most {@code bookstore.catalog.fresh-for} ago, null if it is gone: for a
     * page kept by what it shows, which reads its books on every request. Requests at the same moment share one read.
     */
    public Book recent(long bookId) {
        return recent.get(bookId, catalog::findById).orElse(null);
    }

    /** Forgets every book read, after a change made on this instance. */
    void forget() {
        recent.invalidateAll();
    }
}
