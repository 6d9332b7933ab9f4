package org.bookstore.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Visitor.body;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

@StoreTest
class CatalogPagesTest {

    static final Pattern BOOK_LINK = Pattern.compile("data-testid=\"book-card\">\\s*<a href=\"/books/([a-z0-9-]+)\"");
    private static final Pattern CART_COUNT = Pattern.compile("data-testid=\"cart-count\">(\\d+)<");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    private Visitor visitor;

    @BeforeEach
    void newVisitor() {
        visitor = new Visitor(mvc);
    }

    @Test
    void theFirstPageShowsTheWholeDemoCatalogueWithCoverAuthorAndPriceAndNoOtherPages() {
        List<String> slugsInDatabase = jdbc.sql("SELECT slug FROM books ORDER BY title, id").query(String.class).list();
        assertThat(slugsInDatabase).hasSize(16);

        String home = body(visitor.get("/"));

        assertThat(slugs(home)).containsExactlyElementsOf(slugsInDatabase);
        assertThat(home).contains("16 books", "The Art of Doing Science and Engineering", "Richard W. Hamming", "$23.00",
                "/books/art-of-doing-science-and-engineering/cover.svg?v=").doesNotContain("Catalogue pages");
    }

    @Test
    void theCatalogueCanBeSortedByPriceAndByNewest() {
        List<String> byPrice = jdbc.sql("SELECT slug FROM books ORDER BY price_minor, id").query(String.class).list();
        List<String> newest = jdbc.sql("SELECT slug FROM books ORDER BY created_at DESC, id DESC").query(String.class).list();

        assertThat(slugs(body(visitor.get("/?sort=price")))).containsExactlyElementsOf(byPrice);
        assertThat(slugs(body(visitor.get("/?sort=newest")))).containsExactlyElementsOf(newest);
        assertThat(slugs(body(visitor.get("/?sort=nonsense")))).as("an unknown order falls back to titles")
                .containsExactlyElementsOf(jdbc.sql("SELECT slug FROM books ORDER BY title, id").query(String.class).list());
    }

    @Test
    void aBookAddedToTheDatabaseAppearsInTheCatalogue() {
        jdbc.sql("INSERT INTO books (slug, title, author, description, price_minor, currency, stock, cover_color) "
                + "VALUES ('a-new-book', 'A New Book', 'New Author', 'Fresh off the press.', 1234, 'USD', 3, '#123456')").update();
        try {
            MockHttpServletResponse page = visitor.get("/books/a-new-book");
            assertThat(page.getStatus()).isEqualTo(200);
            assertThat(body(page)).contains("A New Book", "$12.34", "Fresh off the press.", "3 in stock");
        } finally {
            jdbc.sql("DELETE FROM books WHERE slug = 'a-new-book'").update();
        }
    }

    @Test
    void theBookPageShowsDescriptionPriceQuantityPickerAndAddToCart() {
        String page = body(visitor.get("/books/working-in-public"));
        assertThat(page).contains("Working in Public: The Making and Maintenance of Open Source", "Nadia Eghbal", "$28.00",
                "maintainers", "<label for=\"quantity\" class=\"form-label\">Quantity</label>", "Add to cart");
    }

    @Test
    void theClassicBooksHaveTheirPrices() {
        assertThat(body(visitor.get("/books/making-of-prince-of-persia"))).contains("$25.00");
        assertThat(body(visitor.get("/books/art-of-doing-science-and-engineering"))).contains("$23.00");
    }

    @Test
    void anUnknownBookIsA404PageInTheStoreLayout() {
        MockHttpServletResponse response = visitor.get("/books/no-such-book");
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(body(response)).contains("Page not found", "Bookstore", "Log in").doesNotContain("Exception");
    }

    @Test
    void aPageAddressThatIsNotABookIsA404() {
        assertThat(visitor.get("/?after=abc").getStatus()).isEqualTo(404);
        assertThat(visitor.get("/?before=-1").getStatus()).isEqualTo(404);
        assertThat(visitor.get("/?after=999999999").getStatus()).isEqualTo(404);
    }

    @Test
    void theIconIsServedAndCached() {
        MockHttpServletResponse icon = visitor.get("/favicon.ico");
        assertThat(icon.getStatus()).isEqualTo(200);
        assertThat(icon.getContentType()).isEqualTo("image/x-icon");
        assertThat(icon.getContentAsByteArray()).startsWith(0, 0, 1, 0);
        assertThat(icon.getHeader("Cache-Control")).contains("max-age=");
        assertThat(icon.getHeader("Set-Cookie")).isNull();
    }

    @Test
    void styleSheetsAreLinkedByContentAndCachedForAYear() {
        String home = body(visitor.get("/"));
        Matcher css = Pattern.compile("href=\"(/assets/css/store-[0-9a-f]{32}\\.css)\"").matcher(home);
        assertThat(css.find()).as("the store's style sheet is linked with its content hash").isTrue();
        MockHttpServletResponse styles = visitor.get(css.group(1));
        assertThat(styles.getStatus()).isEqualTo(200);
        assertThat(styles.getHeader("Cache-Control")).contains("max-age=31536000", "public", "immutable");
        assertThat(styles.getHeader("Set-Cookie")).isNull();
        assertThat(home).containsPattern("href=\"/webjars/bootstrap/\\d+\\.\\d+\\.\\d+/css/bootstrap\\.min\\.css\"");
    }

    /** Catalogue pages are rendered once and reused: each visitor must still see their own header. */
    @Test
    void everyVisitorSeesTheirOwnCartCountNameAndAWorkingFormOnAReusedPage() {
        Visitor ada = new Visitor(mvc);
        ada.register("Ada Lovelace", "ada-" + UUID.randomUUID() + "@example.com", "correct horse battery");
        Visitor grace = new Visitor(mvc);
        grace.register("Grace Hopper", "grace-" + UUID.randomUUID() + "@example.com", "correct horse battery");
        Visitor guest = new Visitor(mvc);
        long book = jdbc.sql("SELECT id FROM books WHERE slug = 'working-in-public'").query(Long.class).single();

        ada.post("/cart/add", "bookId", String.valueOf(book), "quantity", "2");
        guest.post("/cart/add", "bookId", String.valueOf(book), "quantity", "5");

        for (String path : List.of("/", "/books/working-in-public", "/search?q=open")) {
            String forAda = body(ada.get(path));
            String forGrace = body(grace.get(path));
            String forGuest = body(guest.get(path));
            String forNewcomer = body(new Visitor(mvc).get(path));
            assertThat(cartCount(forAda)).as(path).isEqualTo(2);
            assertThat(cartCount(forGrace)).as(path).isZero();
            assertThat(cartCount(forGuest)).as(path).isEqualTo(5);
            assertThat(cartCount(forNewcomer)).as(path).isZero();
            assertThat(forAda).contains("Ada Lovelace", "Log out").doesNotContain("Grace Hopper");
            assertThat(forGrace).contains("Grace Hopper", "Log out").doesNotContain("Ada Lovelace");
            assertThat(forGuest).contains("Log in").doesNotContain("Ada Lovelace", "Grace Hopper", "Log out");
            assertThat(forNewcomer).contains("Log in", "Test mode").doesNotContain("Ada Lovelace", "Grace Hopper");
        }

        // The guest adds from the book page as served, with the CSRF token it carries.
        MockHttpServletResponse added = guest.postWithPageToken("/books/working-in-public", "/cart/add", "bookId", String.valueOf(book), "quantity", "1");
        assertThat(body(added)).contains("Added");
        assertThat(cartCount(body(guest.get("/books/working-in-public")))).isEqualTo(6);
    }

    static List<String> slugs(String html) {
        Matcher matcher = BOOK_LINK.matcher(html);
        List<String> slugs = new ArrayList<>();
        while (matcher.find()) {
            slugs.add(matcher.group(1));
        }
        return slugs;
    }

    private static int cartCount(String html) {
        Matcher matcher = CART_COUNT.matcher(html);
        assertThat(matcher.find()).as("the header shows a cart count").isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
