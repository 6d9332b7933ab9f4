package org.bookstore.store.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Each book's cover as served: the uploaded image if there is one, else the drawn one. A cover was read from the
 * database on every request (the book by its address, then whether it has an uploaded image), two queries for each of
 * the covers on a page a new visitor opens; now each is read at most once per {@code bookstore.catalog.fresh-for}, as
 * the catalogue's pages are, and dropped with them after a change made on this instance. Kept by bytes, so large
 * uploaded images cannot fill the heap; an address with no book is never kept.
 * <p>A cover is kept with the number of changes made on this instance before it was read, and used only while no
 * change has been made since: a read under way when a change commits may finish after the covers were dropped, and
 * what it read must not outlive the change.
 */
@Component
class Covers {

    private static final MediaType SVG = MediaType.valueOf("image/svg+xml;charset=UTF-8");

    /**
     * A cover's bytes and type, and its version: the drawn cover's (which the pages' links carry) or the uploaded
     * image's digest.
     */
    record Cover(MediaType type, byte[] bytes, String version, boolean uploaded) {
    }

    /** A cover, and the generation it was read in. */
    private record Kept(Cover cover, long generation) {
    }

    private final Catalog catalog;
    private final Cache<String, Kept> recent;
    /** Moves on with each change made on this instance. */
    private final AtomicLong generation = new AtomicLong();

    Covers(Catalog catalog, @Value("${bookstore.catalog.fresh-for:500ms}") Duration freshFor) {
        this.catalog = catalog;
        this.recent = Caffeine.newBuilder().expireAfterWrite(freshFor).maximumWeight(16L << 20)
                .weigher((String slug, Kept kept) -> 2 * slug.length() + kept.cover().bytes().length + 128).build();
    }

    /** The cover of the book at this address, as read at most {@code fresh-for} ago; null if there is no such book. */
    Cover find(String slug) {
        for (int tries = 0; ; tries++) {
            Kept kept = recent.get(slug, this::read);
            if (kept == null || kept.generation() == generation.get() || tries == 2) {
                return kept == null ? null : kept.cover();
            }
            recent.asMap().remove(slug, kept);
        }
    }

    private Kept read(String slug) {
        long before = generation.get();
        Book book = catalog.findBySlug(slug).orElse(null);
        if (book == null) {
            return null;
        }
        Cover cover = catalog.uploadedCover(book.id())
                .map(image -> new Cover(MediaType.valueOf(image.contentType()), image.image(), image.digest(), true))
                .orElseGet(() -> new Cover(SVG, CoverArt.svg(book).getBytes(StandardCharsets.UTF_8), book.coverVersion(), false));
        return new Kept(cover, before);
    }

    /** Forgets every cover read, after a change made on this instance. */
    void forget() {
        generation.incrementAndGet();
        recent.invalidateAll();
    }
}
