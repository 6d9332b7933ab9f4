package org.bookstore.store.catalog;

import java.time.Duration;
import org.bookstore.store.common.NotFoundException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class CatalogController {

    private final Catalog catalog;
    private final int pageSize;

    CatalogController(Catalog catalog, @Value("${bookstore.catalog.page-size:12}") int pageSize) {
        this.catalog = catalog;
        this.pageSize = pageSize;
    }

    @GetMapping("/")
    String home(@RequestParam(name = "page", defaultValue = "1") String page, Model model) {
        int pageNumber = parsePage(page);
        CataloguePage books = catalog.page(pageNumber, pageSize);
        if (pageNumber > 1 && books.books().isEmpty()) {
            throw new NotFoundException("There is no page " + pageNumber + " of the catalogue.");
        }
        model.addAttribute("books", books);
        return "catalog/home";
    }

    @GetMapping("/books/{slug}")
    String book(@PathVariable String slug, Model model) {
        model.addAttribute("book", find(slug));
        return "catalog/book";
    }

    @GetMapping("/books/{slug}/cover.svg")
    ResponseEntity<?> cover(@PathVariable String slug) {
        Book book = find(slug);
        // A cover uploaded in the back office wins over the generated one; its digest tells caches when it changed.
        var uploaded = catalog.uploadedCover(book.id());
        if (uploaded.isPresent()) {
            return ResponseEntity.ok()
                    .contentType(MediaType.valueOf(uploaded.get().contentType()))
                    .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
                    .eTag(uploaded.get().digest())
                    .body(uploaded.get().image());
        }
        return ResponseEntity.ok()
                .contentType(MediaType.valueOf("image/svg+xml"))
                .cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePublic())
                .body(CoverArt.svg(book));
    }

    private Book find(String slug) {
        return catalog.findBySlug(slug).orElseThrow(() -> new NotFoundException("We have no book at that address."));
    }

    private static int parsePage(String page) {
        if (!page.matches("\\d{1,6}") || Integer.parseInt(page) < 1) {
            throw new NotFoundException("There is no such page of the catalogue.");
        }
        return Integer.parseInt(page);
    }
}
