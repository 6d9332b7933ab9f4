package org.bookstore.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Visitor.body;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** The search box: ranked, highlighted, sorted and paged results, and sensible answers to any input. */
@StoreTest
@TestPropertySource(properties = "bookstore.catalog.page-size=4")
class SearchTest {

    private static final Pattern RESULT = Pattern.compile("data-testid=\"search-result\">.*?<a href=\"/books/([a-z0-9-]+)\"", Pattern.DOTALL);

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    private final Visitor shopper;

    SearchTest(@Autowired MockMvc mvc) {
        this.shopper = new Visitor(mvc);
    }

    @BeforeEach
    void gardeningBooks() {
        // Six books about gardens: in the title of two, the author of one, the description of three.
        insert("garden-title-cheap", "The Garden Path", "Ann Author", "A book about paths.", 900);
        insert("garden-title-dear", "Gardens of Stone", "Bob Writer", "Quarries and walls.", 4900);
        insert("garden-author", "Leaves", "Carol Garden", "A book about trees.", 1500);
        insert("garden-desc-1", "Soil", "Dan Digger", "What a garden needs underneath.", 2000);
        insert("garden-desc-2", "Water", "Eve Pond", "Watering the garden through summer.", 2500);
        insert("garden-desc-3", "Tools", "Fay Rake", "Spades for every garden.", 3000);
    }

    @AfterEach
    void removeThem() {
        jdbc.sql("DELETE FROM books WHERE slug LIKE 'garden-%'").update();
    }

    @Test
    void titleMatchesRankAboveAuthorMatchesAboveDescriptionMatchesAndResultsArePaged() {
        String first = body(shopper.get("/search?q=garden"));
        assertThat(first).contains("6 books match", "Page 1 of 2");
        List<String> page1 = results(first);
        assertThat(page1).hasSize(4);
        assertThat(page1.subList(0, 2)).containsExactlyInAnyOrder("garden-title-cheap", "garden-title-dear");
        assertThat(page1.get(2)).isEqualTo("garden-author");

        List<String> page2 = results(body(shopper.get("/search?q=garden&page=2")));
        assertThat(page2).hasSize(2);
        List<String> all = new ArrayList<>(page1);
        all.addAll(page2);
        assertThat(all).doesNotHaveDuplicates().hasSize(6);
        assertThat(all.subList(3, 6)).containsExactlyInAnyOrder("garden-desc-1", "garden-desc-2", "garden-desc-3");
    }

    @Test
    void theSearchedWordsAreHighlightedInTitleAuthorAndDescription() {
        String page = body(shopper.get("/search?q=garden&sort=title"));
        assertThat(page).contains("The <mark>Garden</mark> Path", "Carol <mark>Garden</mark>", "What a <mark>garden</mark> needs",
                "value=\"garden\"");
    }

    @Test
    void resultsCanBeSortedByTitlePriceAndNewest() {
        assertThat(results(body(shopper.get("/search?q=garden&sort=title")))).containsExactly(
                "garden-title-dear", "garden-author", "garden-desc-1", "garden-title-cheap");
        assertThat(results(body(shopper.get("/search?q=garden&sort=price")))).containsExactly(
                "garden-title-cheap", "garden-author", "garden-desc-1", "garden-desc-2");
        assertThat(results(body(shopper.get("/search?q=garden&sort=newest")))).containsExactly(
                "garden-title-dear", "garden-desc-3", "garden-desc-2", "garden-desc-1");
    }

    @Test
    void everyWordMustMatch() {
        assertThat(results(body(shopper.get(search("garden spades"))))).containsExactly("garden-desc-3");
    }

    @Test
    void aSearchWithNoMatchSaysSoClearly() {
        MockHttpServletResponse response = shopper.get("/search?q=xylophone");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(body(response)).contains("No books match", "xylophone", "Browse all books");
    }

    @Test
    void anEmptySearchExplainsWhatToType() {
        for (String path : List.of("/search", "/search?q=", search("   ").toString())) {
            MockHttpServletResponse response = shopper.get(java.net.URI.create(path));
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(body(response)).contains("Type a title, an author or a word");
        }
    }

    @Test
    void aVeryLongSearchIsShortenedAndSaysSo() {
        MockHttpServletResponse response = shopper.get(search("garden " + "x".repeat(10_000)));
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(body(response)).contains("only its first 200 characters were used");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"garden", "garden\"", "'", "%", "_", "%_%", "\\", "😀", "garden 😀", "' OR 1=1 --",
            "'; DROP TABLE books; --", "<script>alert(1)</script>", "a & b | !c", "-garden", "garden:*", "(((", "\u0000garden"})
    void oddInputNeverBreaksTheSearch(String typed) {
        MockHttpServletResponse response = shopper.get(search(typed));
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(body(response)).contains("data-testid=\"search-page\"").doesNotContain("<script>alert");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM books").query(Integer.class).single()).isEqualTo(22);
    }

    @Test
    void wildcardsAreSearchedForLiterallyNotAsPatterns() {
        assertThat(body(shopper.get(search("%")))).contains("No books match");
        assertThat(body(shopper.get(search("_")))).contains("No books match");
    }

    @Test
    void aPageOfResultsThatDoesNotExistIsA404() {
        assertThat(shopper.get("/search?q=garden&page=3").getStatus()).isEqualTo(404);
        assertThat(shopper.get("/search?q=garden&page=abc").getStatus()).isEqualTo(404);
    }

    private void insert(String slug, String title, String author, String description, long price) {
        jdbc.sql("INSERT INTO books (slug, title, author, description, price_minor, currency, stock, cover_color, created_at) "
                + "VALUES (?, ?, ?, ?, ?, 'USD', 5, '#336699', ?)")
                .params(slug, title, author, description, price,
                        java.sql.Timestamp.valueOf(java.time.LocalDateTime.of(2100, 1, 1, 0, 0).plusDays(price / 100)))
                .update();
    }

    /** The address the search box sends for what was typed. */
    static java.net.URI search(String typed) {
        return java.net.URI.create("/search?q=" + URLEncoder.encode(typed, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static List<String> results(String html) {
        Matcher matcher = RESULT.matcher(html);
        List<String> slugs = new ArrayList<>();
        while (matcher.find()) {
            slugs.add(matcher.group(1));
        }
        return slugs;
    }
}
