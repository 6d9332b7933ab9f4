package org.bookstore.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bookstore.store.support.HttpVisitor;
import org.bookstore.store.support.StoreInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two instances of the store on one database, each reusing the catalogue pages it rendered: a change to a book's
 * price, stock or text, made in the database, shows on both within a second.
 */
class CatalogueFreshnessTest {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;
    private JdbcClient jdbc;

    /** The database both instances share: an in-memory H2 database here. */
    protected String databaseUrl() {
        return "jdbc:h2:mem:freshness-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    protected void dropDatabase() {
        jdbc.sql("SHUTDOWN").update();
    }

    @BeforeEach
    void twoInstances() {
        String url = databaseUrl();
        first = start(url);
        second = start(url);
        jdbc = first.getBean(JdbcClient.class);
    }

    @AfterEach
    void stop() {
        second.close();
        dropDatabase();
        first.close();
    }

    @Test
    void aNewPriceShowsOnEveryInstanceWithinASecond() {
        changeAndWatch("UPDATE books SET price_minor = 3100 WHERE slug = 'working-in-public'",
                List.of("/books/working-in-public", "/", "/search?q=public"), page -> page.contains("$31.00"));
    }

    @Test
    void aNewStockShowsOnEveryInstanceWithinASecond() {
        changeAndWatch("UPDATE books SET stock = 0 WHERE slug = 'working-in-public'",
                List.of("/books/working-in-public"), page -> page.contains("Out of stock") && !page.contains("Add to cart"));
    }

    @Test
    void aNewTitleAndDescriptionShowOnEveryInstanceWithinASecond() {
        changeAndWatch("UPDATE books SET title = 'Working in Private', description = 'Quietly kept.' WHERE slug = 'working-in-public'",
                List.of("/books/working-in-public", "/", "/search?q=working"),
                page -> page.contains("in Private") && !page.contains("Maintenance of Open Source"));
    }

    @Test
    void aBookWhoseNewTextMatchesASearchIsFoundOnEveryInstanceWithinASecond() {
        changeAndWatch("UPDATE books SET description = 'A zymurgy primer, among other things.' WHERE slug = 'working-in-public'",
                List.of("/search?q=zymurgy"), page -> page.contains("1 book matches") && page.contains("/books/working-in-public\""));
    }

    @Test
    void aNewBookIsFoundAndCountedOnEveryInstanceWithinASecond() {
        changeAndWatch("INSERT INTO books (slug, title, author, description, price_minor, currency, stock, cover_color)"
                        + " VALUES ('zymurgy-at-home', 'Zymurgy at Home', 'A. Brewer', 'Brewing, step by step.', 1500, 'USD', 3, '#1f4e79')",
                List.of("/search?q=zymurgy", "/"), page -> page.contains("/books/zymurgy-at-home\"") && !page.contains("16 books"));
    }

    @Test
    void anArchivedBookLeavesSearchAndTheCatalogueOnEveryInstanceWithinASecond() {
        changeAndWatch("UPDATE books SET archived_at = CURRENT_TIMESTAMP WHERE slug = 'working-in-public'",
                List.of("/search?q=making", "/"), page -> !page.contains("/books/working-in-public\""));
    }

    @Test
    void aNewPriceReordersASearchByPriceOnEveryInstanceWithinASecond() {
        changeAndWatch("UPDATE books SET price_minor = 900 WHERE slug = 'working-in-public'",
                List.of("/search?q=making&sort=price"), page -> page.indexOf("/books/working-in-public\"") >= 0
                        && page.indexOf("/books/working-in-public\"") < page.indexOf("/books/making-of-prince-of-persia\""));
    }

    /** Bulk loads and replication often run with triggers off (replica mode): the store still sees their changes. */
    @Test
    void aChangeMadeInReplicaModeIsFoundOnEveryInstanceWithinASecond() {
        changeAndWatch(replicaMode("UPDATE books SET description = 'A zymurgy primer.' WHERE slug = 'working-in-public'"),
                List.of("/search?q=zymurgy"), page -> page.contains("/books/working-in-public\""));
    }

    /** On PostgreSQL a change is seen through a trigger: elsewhere the change is made as it is. */
    protected String replicaMode(String change) {
        return change;
    }

    @Test
    void aBuyersCartAndLogOutShowOnTheOtherInstanceAtOnce() {
        HttpVisitor onFirst = buyerWithWorkingInPublic("Cart Keeper", 2);
        HttpVisitor onSecond = onFirst.on(baseUrl(second));
        for (HttpVisitor instance : List.of(onFirst, onSecond)) {
            String cart = instance.get("/cart").body();
            assertThat(cart).contains("Cart Keeper", "data-testid=\"cart-count\">2<", "value=\"2\"");
        }

        onFirst.get("/cart");
        onFirst.post("/cart/lines/" + bookId("working-in-public"), "quantity", "3");
        String cart = onSecond.get("/cart").body();
        assertThat(cart).contains("data-testid=\"cart-count\">3<", "value=\"3\"").doesNotContain("value=\"2\"");

        onFirst.get("/cart");
        onFirst.post("/logout");
        assertThat(onSecond.get("/cart").body()).doesNotContain("Cart Keeper").contains("Your cart is empty");
    }

    /**
     * A buyer's cart page is kept until something it shows changes, however long that is: a book's new address and
     * cover (made in the database) still reach it on both instances within a second, and the line keeps the title the
     * book had when it was added.
     */
    @Test
    void aBooksNewAddressAndCoverReachABuyersKeptCartPageOnEveryInstanceWithinASecond() {
        HttpVisitor onFirst = buyerWithWorkingInPublic("Cover Watcher", 1);
        HttpVisitor onSecond = onFirst.on(baseUrl(second));
        List<HttpVisitor> instances = List.of(onFirst, onSecond);
        String oldCover = null;
        for (HttpVisitor instance : instances) {
            for (int kept = 0; kept < 2; kept++) {
                String cart = instance.get("/cart").body();
                assertThat(cart).contains("Cover Watcher", "href=\"/books/working-in-public\"");
                oldCover = cover(cart);
                assertThat(oldCover).startsWith("/books/working-in-public/cover.svg?v=");
            }
        }

        jdbc.sql("UPDATE books SET slug = 'working-in-public-2e', title = 'Working in Public, Second Edition'"
                + " WHERE slug = 'working-in-public'").update();
        Instant changed = Instant.now();

        for (HttpVisitor instance : instances) {
            while (true) {
                Instant asked = Instant.now();
                String cart = instance.get("/cart").body();
                String cover = cover(cart);
                if (cart.contains("href=\"/books/working-in-public-2e\"") && cover.startsWith("/books/working-in-public-2e/cover.svg?v=")
                        && !cover.endsWith(oldCover.substring(oldCover.indexOf("?v=")))) {
                    assertThat(cart).contains(">Working in Public: The Making and Maintenance of Open Source<")
                            .doesNotContain("Second Edition");
                    break;
                }
                assertThat(Duration.between(changed, asked)).as("the cart still links to the old address or cover").isLessThan(WITHIN);
                pause();
            }
        }
    }

    /**
     * A cover is kept by each instance as pages are: redrawn in a new colour, replaced by an image uploaded straight
     * into the database, and that image removed again, it is served so on both instances within a second.
     */
    @Test
    void aCoverRedrawnUploadedOrRemovedInTheDatabaseIsServedOnEveryInstanceWithinASecond() {
        List<HttpVisitor> instances = List.of(new HttpVisitor(baseUrl(first)), new HttpVisitor(baseUrl(second)));
        String path = "/books/working-in-public/cover.svg";
        for (HttpVisitor instance : instances) {
            for (int kept = 0; kept < 2; kept++) {
                HttpResponse<String> cover = instance.get(path);
                assertThat(cover.headers().firstValue("Content-Type")).hasValue("image/svg+xml;charset=UTF-8");
                assertThat(cover.body()).startsWith("<svg").doesNotContain("#7a1f5c");
            }
        }

        changeCoverAndWatch(instances, path, "UPDATE books SET cover_color = '#7a1f5c' WHERE slug = 'working-in-public'",
                cover -> cover.body().contains("fill=\"#7a1f5c\""));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
        changeCoverAndWatch(instances, path, () -> jdbc.sql("INSERT INTO book_covers (book_id, content_type, image, digest)"
                        + " VALUES (?, 'image/png', ?, 'uploaded-in-the-database')").params(Long.valueOf(bookId("working-in-public")), png).update(),
                cover -> cover.headers().firstValue("Content-Type").orElse("").equals("image/png")
                        && cover.headers().firstValue("ETag").orElse("").contains("uploaded-in-the-database"));
        changeCoverAndWatch(instances, path, "DELETE FROM book_covers", cover -> cover.body().startsWith("<svg")
                && cover.body().contains("fill=\"#7a1f5c\""));
    }

    private void changeCoverAndWatch(List<HttpVisitor> instances, String path, String change, Predicate<HttpResponse<String>> served) {
        changeCoverAndWatch(instances, path, () -> jdbc.sql(change).update(), served);
    }

    private void changeCoverAndWatch(List<HttpVisitor> instances, String path, Runnable change, Predicate<HttpResponse<String>> served) {
        change.run();
        watch(instances, List.of(path), Instant.now(), cover -> {
            assertThat(cover.statusCode()).isEqualTo(200);
            return served.test(cover);
        }, " is still the old cover");
    }

    /** A buyer registered on the first instance with copies of "Working in Public" in their cart. */
    private HttpVisitor buyerWithWorkingInPublic(String name, int copies) {
        HttpVisitor buyer = new HttpVisitor(baseUrl(first));
        buyer.register(name, "buyer-" + UUID.randomUUID() + "@example.com", "correct horse battery");
        buyer.get("/books/working-in-public");
        buyer.post("/cart/add", "bookId", bookId("working-in-public"), "quantity", String.valueOf(copies));
        return buyer;
    }

    /** The address of the cart line's cover: the page's only one. */
    private static String cover(String cart) {
        Matcher cover = Pattern.compile("src=\"(/books/[^\"]+/cover\\.svg\\?v=[^\"]+)\"").matcher(cart);
        assertThat(cover.find()).as("a cover on the cart page").isTrue();
        return cover.group(1);
    }

    private String bookId(String slug) {
        return jdbc.sql("SELECT id FROM books WHERE slug = ?").param(slug).query(Long.class).single().toString();
    }

    /**
     * Loads each page on both instances (so both keep a rendered copy), makes the change, then asks both until they
     * show it. Any request started more than a second after the change must show it; earlier ones may or may not.
     */
    private void changeAndWatch(String change, List<String> paths, Predicate<String> showsTheChange) {
        List<HttpVisitor> instances = List.of(new HttpVisitor(baseUrl(first)), new HttpVisitor(baseUrl(second)));
        for (HttpVisitor instance : instances) {
            for (String path : paths) {
                HttpResponse<String> before = instance.get(path);
                assertThat(before.statusCode()).isEqualTo(200);
                assertThat(showsTheChange.test(before.body())).as("before the change: " + path).isFalse();
            }
        }

        jdbc.sql(change).update();
        watch(instances, paths, Instant.now(), page -> showsTheChange.test(page.body()), " still shows the old book");
    }

    /**
     * Asks each instance for each path until its answer shows the change: any request started more than a second
     * after {@code changed} must.
     */
    private static void watch(List<HttpVisitor> instances, List<String> paths, Instant changed,
            Predicate<HttpResponse<String>> showsTheChange, String stale) {
        for (HttpVisitor instance : instances) {
            for (String path : paths) {
                while (true) {
                    Instant asked = Instant.now();
                    if (showsTheChange.test(instance.get(path))) {
                        break;
                    }
                    assertThat(Duration.between(changed, asked)).as(path + stale).isLessThan(WITHIN);
                    pause();
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private ConfigurableApplicationContext start(String databaseUrl) {
        return StoreInstance.start(databaseUrl, username(), password());
    }

    protected String username() {
        return "sa";
    }

    protected String password() {
        return "";
    }

    private static String baseUrl(ConfigurableApplicationContext store) {
        return StoreInstance.baseUrl(store);
    }
}
