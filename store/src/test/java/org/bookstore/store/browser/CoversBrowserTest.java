package org.bookstore.store.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Chromium draws every cover, a 200-character title and author included, and the shop's pages load nothing broken. */
class CoversBrowserTest extends InBrowser {

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void aBookWithAnAwkwardTitle() {
        jdbc.sql("INSERT INTO books (slug, title, author, description, price_minor, currency, stock, cover_color) "
                + "VALUES ('awkward-title', ?, ?, 'A test of covers.', 1000, 'USD', 1, '#224466')")
                .params(org.bookstore.store.catalog.CoversTest.LONG_TITLE, org.bookstore.store.catalog.CoversTest.LONG_AUTHOR).update();
    }

    @AfterEach
    void removeIt() {
        jdbc.sql("DELETE FROM books WHERE slug = 'awkward-title'").update();
    }

    @Test
    void everyCoverRendersInTheBrowser() {
        // Every generated cover; a cover a test uploaded in the back office is its own image.
        List<String> slugs = jdbc.sql("SELECT slug FROM books WHERE id NOT IN (SELECT book_id FROM book_covers) ORDER BY slug")
                .query(String.class).list();
        page.navigate("/");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><title>Covers</title>");
        for (String slug : slugs) {
            html.append("<img alt=\"").append(slug).append("\" src=\"/books/").append(slug).append("/cover.svg\">");
        }
        page.setContent(html.toString());
        @SuppressWarnings("unchecked")
        List<List<Object>> drawn = (List<List<Object>>) page.evaluate("() => Promise.all([...document.images].map(img =>"
                + " (img.complete ? Promise.resolve() : new Promise(done => { img.onload = done; img.onerror = done; }))"
                + "   .then(() => [img.alt, img.naturalWidth, img.naturalHeight])))");

        assertThat(drawn).hasSize(slugs.size());
        for (List<Object> cover : drawn) {
            assertThat(((Number) cover.get(1)).intValue()).as("width of the cover of " + cover.get(0)).isEqualTo(200);
            assertThat(((Number) cover.get(2)).intValue()).as("height of the cover of " + cover.get(0)).isEqualTo(300);
        }
    }

    @Test
    void theShopsPagesLoadWithoutAFailedRequest() {
        List<String> failures = new ArrayList<>();
        page.onResponse((Response response) -> {
            if (response.status() >= 400) {
                failures.add(response.status() + " " + response.url());
            }
        });
        page.onRequestFailed(request -> failures.add(request.failure() + " " + request.url()));
        for (String path : List.of("/", "/books/site-reliability-engineering", "/books/awkward-title", "/search?q=engineering")) {
            page.navigate(path);
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
        }
        page.navigate("/favicon.ico");
        assertThat(failures).isEmpty();
    }

    @Test
    void theSearchBoxIsLabelledAndFindsBooksWithTheWordsMarked() {
        page.navigate("/");
        page.getByLabel("Search books").fill("reliability");
        page.getByLabel("Search books").press("Enter");
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.getByTestId("match-count")).containsText("match");
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.getByTestId("search-result").first().locator("h2 mark")).hasText("Reliability");
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.getByLabel("Search books")).hasValue("reliability");
        org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("search.png"), false);
    }
}
