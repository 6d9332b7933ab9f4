package org.bookstore.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Visitor.body;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** Pages of five books, so the 16 demo books take four: a shopper walks through them and back in every order. */
@StoreTest
@TestPropertySource(properties = "bookstore.catalog.page-size=5")
class CataloguePagingTest {

    private static final Pattern NEXT = Pattern.compile("rel=\"next\" href=\"([^\"#]+)\"");
    private static final Pattern PREVIOUS = Pattern.compile("rel=\"prev\" href=\"([^\"#]+)\"");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @CsvSource({"title, title, id", "price, price_minor, id", "newest, created_at DESC, id DESC"})
    void nextLinksWalkTheWholeCatalogueInOrderAndPreviousLinksWalkBack(String sort, String order, String tieBreak) {
        List<String> expected = jdbc.sql("SELECT slug FROM books ORDER BY " + order + ", " + tieBreak).query(String.class).list();
        Visitor shopper = new Visitor(mvc);

        List<List<String>> pages = new ArrayList<>();
        String html = body(shopper.get("/?sort=" + sort));
        pages.add(CatalogPagesTest.slugs(html));
        for (Matcher next = NEXT.matcher(html); next.find(); next = NEXT.matcher(html)) {
            String link = next.group(1).replace("&amp;", "&");
            assertThat(link).contains("sort=" + sort, "after=").doesNotContain("page=", "offset");
            html = body(shopper.get(link));
            pages.add(CatalogPagesTest.slugs(html));
            assertThat(pages).hasSizeLessThan(10);
        }

        assertThat(pages).hasSize(4);
        assertThat(pages.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(expected);
        assertThat(pages.get(3)).hasSize(1);

        List<List<String>> backwards = new ArrayList<>();
        for (Matcher previous = PREVIOUS.matcher(html); previous.find(); previous = PREVIOUS.matcher(html)) {
            html = body(shopper.get(previous.group(1).replace("&amp;", "&")));
            backwards.add(CatalogPagesTest.slugs(html));
        }
        Collections.reverse(backwards);
        assertThat(backwards).containsExactlyElementsOf(pages.subList(0, 3));
    }

    @ParameterizedTest
    @CsvSource({"title", "price", "newest"})
    void aPageDeepInTheCatalogueStartsRightAfterItsBookEvenAfterBooksAreAddedBeforeIt(String sort) {
        String firstPage = body(new Visitor(mvc).get("/?sort=" + sort));
        Matcher next = NEXT.matcher(firstPage);
        assertThat(next.find()).isTrue();
        String secondPage = body(new Visitor(mvc).get(next.group(1).replace("&amp;", "&")));
        jdbc.sql("INSERT INTO books (slug, title, author, description, price_minor, currency, stock, cover_color, created_at) "
                + "VALUES ('aaa-first', 'AAA First', 'Someone', 'Sorts first by title.', 1, 'USD', 1, '#000000', TIMESTAMP '2100-01-01 00:00:00')").update();
        try {
            // The address of page two is a book, not a count of books to skip: it shows the same books as before.
            assertThat(CatalogPagesTest.slugs(body(new Visitor(mvc).get(next.group(1).replace("&amp;", "&")))))
                    .containsExactlyElementsOf(CatalogPagesTest.slugs(secondPage));
        } finally {
            jdbc.sql("DELETE FROM books WHERE slug = 'aaa-first'").update();
        }
    }
}
