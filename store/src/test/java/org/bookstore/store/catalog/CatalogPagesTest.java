package org.bookstore.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import static org.bookstore.store.support.Visitor.body;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

@StoreTest
class CatalogPagesTest {

    private static final Pattern BOOK_LINK = Pattern.compile("data-testid=\"book-card\">\\s*<a href=\"/books/([a-z0-9-]+)\"");

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
    void everyBookInTheDatabaseIsListedAcrossTheHomepagePages() {
        List<String> slugsInDatabase = jdbc.sql("SELECT slug FROM books ORDER BY slug").query(String.class).list();
        assertThat(slugsInDatabase).hasSizeGreaterThanOrEqualTo(12);

        List<String> listed = new ArrayList<>();
        for (int page = 1; ; page++) {
            MockHttpServletResponse response = visitor.get("/?page=" + page);
            if (response.getStatus() == 404) {
                break;
            }
            listed.addAll(slugs(body(response)));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(slugsInDatabase);
    }

    @Test
    void theFirstPageShowsTwelveBooksWithCoverAuthorAndPriceAndLinksToTheNextPage() throws Exception {
        String home = body(visitor.get("/"));
        assertThat(slugs(home)).hasSize(12);
        assertThat(home).contains("The Art of Doing Science and Engineering", "Richard W. Hamming", "$23.00",
                "/books/art-of-doing-science-and-engineering/cover.svg", "href=\"/?page=2\"");
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
    void aPageNumberThatIsNotANumberIsA404() {
        assertThat(visitor.get("/?page=abc").getStatus()).isEqualTo(404);
        assertThat(visitor.get("/?page=0").getStatus()).isEqualTo(404);
    }

    @Test
    void coversAreDrawnByTheStoreAsSvg() {
        MockHttpServletResponse cover = visitor.get("/books/working-in-public/cover.svg");
        assertThat(cover.getStatus()).isEqualTo(200);
        assertThat(cover.getContentType()).startsWith("image/svg+xml");
        assertThat(body(cover)).startsWith("<svg").contains("Working in").doesNotContain("<image", "href=");
    }

    private static List<String> slugs(String html) {
        Matcher matcher = BOOK_LINK.matcher(html);
        List<String> slugs = new ArrayList<>();
        while (matcher.find()) {
            slugs.add(matcher.group(1));
        }
        return slugs;
    }
}
