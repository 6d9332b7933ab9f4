package org.bookstore.store.catalog;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bookstore.store.common.NotFoundException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The homepage (the catalogue, a page at a time), book pages, search and covers. */
@Controller
class CatalogController {

    private static final List<Sorting> CATALOGUE_SORTINGS = List.of(Sorting.TITLE, Sorting.PRICE, Sorting.NEWEST);

    private final Catalog catalog;
    private final RenderedPages pages;
    private final int pageSize;
    private final Covers covers;

    CatalogController(Catalog catalog, RenderedPages pages, Covers covers,
            @Value("${bookstore.catalog.page-size:24}") int pageSize) {
        this.catalog = catalog;
        this.pages = pages;
        this.covers = covers;
        this.pageSize = pageSize;
    }

    @GetMapping("/")
    void home(@RequestParam(name = "sort", defaultValue = "title") String sort,
            @RequestParam(name = "after", required = false) String after,
            @RequestParam(name = "before", required = false) String before,
            HttpServletRequest request, HttpServletResponse response) throws Exception {
        Sorting sorting = Sorting.fromParam(sort).filter(CATALOGUE_SORTINGS::contains).orElse(Sorting.TITLE);
        Long afterId = cursor(after);
        Long beforeId = afterId == null ? cursor(before) : null;
        pages.serveCatalogue("home " + sorting + " " + afterId + " " + beforeId, "catalog/home", () -> {
            CataloguePage books = catalog.page(sorting, afterId, beforeId, pageSize);
            if (books.books().isEmpty() && (afterId != null || beforeId != null)) {
                throw new NotFoundException("There is no such page of the catalogue.");
            }
            return Map.of("books", books, "sortings", CATALOGUE_SORTINGS);
        }, request, response);
    }

    @GetMapping("/search")
    void search(@RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "sort", defaultValue = "relevance") String sort,
            @RequestParam(name = "page", defaultValue = "1") String page,
            HttpServletRequest request, HttpServletResponse response) throws Exception {
        SearchQuery query = SearchQuery.of(q);
        Sorting sorting = Sorting.fromParam(sort).orElse(Sorting.RELEVANCE);
        int pageNumber = pageNumber(page);
        pages.serveCatalogue("search " + sorting + " " + pageNumber + " " + query.text(), "catalog/search", () -> {
            SearchResults results = catalog.search(query, sorting, pageNumber, pageSize);
            if (pageNumber > results.totalPages()) {
                throw new NotFoundException("There is no such page of results.");
            }
            return Map.of("results", results, "sortings", List.of(Sorting.values()), "searchText", query.text(),
                    "maxLength", SearchQuery.MAX_LENGTH);
        }, request, response);
    }

    @GetMapping("/books/{slug}")
    void book(@PathVariable String slug, HttpServletRequest request, HttpServletResponse response) throws Exception {
        pages.serveCatalogue("book " + slug, "catalog/book", () -> Map.of("book", find(slug)), request, response);
    }

    /**
     * A cover. Pages link the generated one with its version ({@code ?v=}), which changes with the title, author or
     * colour, so a browser may keep that URL for a year; without it, the browser asks again and gets a 304 if nothing
     * changed. A cover uploaded in the back office wins over the generated one and is always revalidated by its digest.
     */
    @GetMapping("/books/{slug}/cover.svg")
    ResponseEntity<?> cover(@PathVariable String slug, @RequestParam(name = "v", required = false) String version) {
        Covers.Cover cover = covers.find(slug);
        if (cover == null) {
            throw new NotFoundException("We have no book at that address.");
        }
        CacheControl caching = !cover.uploaded() && cover.version().equals(version)
                ? CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable()
                : CacheControl.noCache().cachePublic();
        return ResponseEntity.ok().contentType(cover.type()).cacheControl(caching)
                .eTag(cover.version()).body(cover.bytes());
    }

    private Book find(String slug) {
        return catalog.findBySlug(slug).orElseThrow(() -> new NotFoundException("We have no book at that address."));
    }

    private static Long cursor(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (!id.matches("\\d{1,18}")) {
            throw new NotFoundException("There is no such page of the catalogue.");
        }
        return Long.parseLong(id);
    }

    private static int pageNumber(String page) {
        if (!page.matches("\\d{1,3}") || Integer.parseInt(page) < 1 || Integer.parseInt(page) > SearchResults.MAX_PAGES) {
            throw new NotFoundException("There is no such page of results.");
        }
        return Integer.parseInt(page);
    }
}
