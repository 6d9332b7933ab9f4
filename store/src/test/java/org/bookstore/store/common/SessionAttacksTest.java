package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.bookstore.store.support.HttpVisitor;
import org.bookstore.store.support.StoreInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sessions read once per request and security contexts decoded once per instance, attacked over real HTTP: two
 * instances on one database, each serving every request on one thread, so whatever one request leaves behind on its
 * thread would show in the next.
 */
class SessionAttacksTest {

    private static final String PASSWORD = "correct horse battery";

    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;
    private JdbcClient jdbc;

    @BeforeEach
    void twoInstances() {
        String url = "jdbc:h2:mem:sessions-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        first = start(url);
        second = start(url);
        jdbc = first.getBean(JdbcClient.class);
    }

    @AfterEach
    void stop() {
        second.close();
        jdbc.sql("SHUTDOWN").update();
        first.close();
    }

    @Test
    void aSessionLoggedOutOnOneInstanceIsNoLongerLoggedInAnywhereEvenRightAfterAnErrorPage() {
        // Each error page is the last thing the first instance's only thread served before the log-out elsewhere.
        for (String errorPage : List.of("/no-such-page", "/admin", "/books/no-such-book", "/cart/add", "/error", "/books/a%2Fb")) {
            HttpVisitor buyer = new HttpVisitor(baseUrl(first));
            buyer.register("Error Page Reader", email(), PASSWORD);
            String copied = buyer.cookie("SESSION");
            assertThat(buyer.get("/cart").body()).contains("Error Page Reader");
            assertThat(buyer.get(errorPage).statusCode()).as(errorPage).isGreaterThanOrEqualTo(400);

            HttpVisitor onSecond = buyer.on(baseUrl(second));
            onSecond.get("/cart");
            onSecond.post("/logout");

            for (String base : List.of(baseUrl(first), baseUrl(second))) {
                HttpVisitor replay = HttpVisitor.withCookie(base, "SESSION", copied);
                for (String page : List.of("/cart", errorPage, "/", "/orders")) {
                    assertThat(replay.get(page).body()).as("after " + errorPage + ": " + base + page).doesNotContain("Error Page Reader");
                }
                assertThat(buyer.on(base).get("/cart").body()).doesNotContain("Error Page Reader");
            }
        }
    }

    @Test
    void theSessionIdBeforeLogInNeverLogsAnyoneIn() {
        HttpVisitor buyer = new HttpVisitor(baseUrl(first));
        String email = email();
        buyer.register("Fixation Target", email, PASSWORD);
        buyer.get("/");
        buyer.post("/logout");
        buyer.get("/books/working-in-public");
        buyer.post("/cart/add", "bookId", jdbc.sql("SELECT id FROM books WHERE slug = 'working-in-public'").query(Long.class).single()
                .toString(), "quantity", "1");
        buyer.get("/login");
        String beforeLogIn = buyer.cookie("SESSION");
        assertThat(beforeLogIn).isNotNull();
        HttpVisitor attacker = HttpVisitor.withCookie(baseUrl(first), "SESSION", beforeLogIn);
        attacker.get("/no-such-page");
        buyer.post("/login", "email", email, "password", PASSWORD);
        assertThat(buyer.get("/cart").body()).contains("Fixation Target", "data-testid=\"cart-count\">1<");
        assertThat(buyer.cookie("SESSION")).isNotEqualTo(beforeLogIn);

        for (String base : List.of(baseUrl(first), baseUrl(second))) {
            HttpVisitor replay = HttpVisitor.withCookie(base, "SESSION", beforeLogIn);
            for (String page : List.of("/no-such-page", "/cart", "/", "/orders")) {
                assertThat(replay.get(page).body()).as(base + page).doesNotContain("Fixation Target");
            }
        }
    }

    @Test
    void twoBuyersTakingTurnsOnOneThreadEachSeeOnlyTheirOwnSession() {
        HttpVisitor ann = new HttpVisitor(baseUrl(first));
        HttpVisitor bob = new HttpVisitor(baseUrl(first));
        ann.register("Ann Turner", email(), PASSWORD);
        bob.register("Bob Turner", email(), PASSWORD);
        HttpVisitor guest = new HttpVisitor(baseUrl(first));
        for (int round = 0; round < 3; round++) {
            for (String page : List.of("/cart", "/no-such-page", "/", "/admin")) {
                assertThat(ann.get(page).body()).as(page).doesNotContain("Bob Turner");
                assertThat(bob.get(page).body()).as(page).doesNotContain("Ann Turner");
                assertThat(guest.get(page).body()).as(page).doesNotContain("Ann Turner").doesNotContain("Bob Turner");
            }
        }
        assertThat(ann.get("/cart").body()).contains("Ann Turner");
        assertThat(bob.get("/cart").body()).contains("Bob Turner");
        ann.post("/logout");
        assertThat(ann.get("/cart").body()).doesNotContain("Ann Turner");
        assertThat(bob.get("/cart").body()).contains("Bob Turner");
    }

    @Test
    void aFlashMessageShowsOnceAfterEachChange() {
        HttpVisitor buyer = new HttpVisitor(baseUrl(first));
        buyer.register("Flash Reader", email(), PASSWORD);
        String bookId = jdbc.sql("SELECT id FROM books WHERE slug = 'working-in-public'").query(Long.class).single().toString();
        buyer.get("/books/working-in-public");
        assertThat(buyer.post("/cart/add", "bookId", bookId, "quantity", "1").body()).contains("to your cart.");
        assertThat(buyer.get("/cart").body()).doesNotContain("to your cart.");
        assertThat(buyer.post("/cart/lines/" + bookId, "quantity", "2").body()).contains("Quantity updated.");
        assertThat(buyer.get("/cart").body()).doesNotContain("Quantity updated.");
        assertThat(buyer.on(baseUrl(second)).get("/cart").body()).doesNotContain("Quantity updated.");
        buyer.get("/cart");
        assertThat(buyer.on(baseUrl(second)).post("/cart/lines/" + bookId, "quantity", "3").body()).contains("Quantity updated.");
        assertThat(buyer.get("/cart").body()).doesNotContain("Quantity updated.").contains("data-testid=\"cart-count\">3<");
    }

    @Test
    void anExpiredSessionLogsNobodyInOnEitherInstance() {
        HttpVisitor buyer = new HttpVisitor(baseUrl(first));
        String email = email();
        buyer.register("Idle Reader", email, PASSWORD);
        for (String base : List.of(baseUrl(first), baseUrl(second))) {
            assertThat(buyer.on(base).get("/cart").body()).contains("Idle Reader");
        }
        jdbc.sql("UPDATE SPRING_SESSION SET LAST_ACCESS_TIME = LAST_ACCESS_TIME - (MAX_INACTIVE_INTERVAL + 1) * 1000,"
                + " EXPIRY_TIME = EXPIRY_TIME - (MAX_INACTIVE_INTERVAL + 1) * 1000 WHERE PRINCIPAL_NAME = ?").param(email).update();
        for (String base : List.of(baseUrl(first), baseUrl(second))) {
            for (String page : List.of("/cart", "/no-such-page", "/")) {
                assertThat(buyer.on(base).get(page).body()).as(base + page).doesNotContain("Idle Reader");
            }
        }
    }

    @Test
    void aBuyerWhoLogsOutLeavesNeitherCartNorNameToTheNextGuestOnTheBrowser() {
        HttpVisitor browser = new HttpVisitor(baseUrl(first));
        browser.register("Shared Browser", email(), PASSWORD);
        String bookId = jdbc.sql("SELECT id FROM books WHERE slug = 'working-in-public'").query(Long.class).single().toString();
        browser.get("/books/working-in-public");
        browser.post("/cart/add", "bookId", bookId, "quantity", "2");
        String buyersCart = browser.get("/cart").body();
        assertThat(buyersCart).contains("Shared Browser", "data-book-id=\"" + bookId + "\"");
        browser.post("/logout");
        for (String base : List.of(baseUrl(first), baseUrl(second))) {
            String guestsCart = browser.on(base).get("/cart").body();
            assertThat(guestsCart).as(base).doesNotContain("Shared Browser").doesNotContain("data-book-id=")
                    .contains("Your cart is empty", "data-testid=\"cart-count\">0<");
        }
    }

    @Test
    void visitorsServedTheSameRenderedPageEachGetTheirOwnFormTokenAndCount() {
        String bookId = jdbc.sql("SELECT id FROM books WHERE slug = 'working-in-public'").query(Long.class).single().toString();
        HttpVisitor ann = new HttpVisitor(baseUrl(first));
        HttpVisitor bob = new HttpVisitor(baseUrl(first));
        ann.get("/books/working-in-public");
        ann.post("/cart/add", "bookId", bookId, "quantity", "2");
        String annsPage = ann.get("/books/working-in-public").body();
        String bobsPage = bob.get("/books/working-in-public").body();
        assertThat(annsPage).contains("data-testid=\"cart-count\">2<");
        assertThat(bobsPage).contains("data-testid=\"cart-count\">0<");
        assertThat(token(bobsPage)).isNotEqualTo(token(annsPage));

        assertThat(bob.postRaw("/cart/add", "bookId", bookId, "quantity", "1", "_csrf", token(annsPage)).statusCode())
                .as("another visitor's token is refused").isEqualTo(403);
        bob.get("/books/working-in-public");
        assertThat(bob.post("/cart/add", "bookId", bookId, "quantity", "1").body()).contains("data-testid=\"cart-count\">1<");
        assertThat(ann.get("/cart").body()).contains("data-testid=\"cart-count\">2<", "value=\"2\"");
        assertThat(bob.get("/cart").body()).contains("data-testid=\"cart-count\">1<", "value=\"1\"");
    }

    private static String token(String page) {
        var matcher = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(matcher.find()).as("the page has a form").isTrue();
        return matcher.group(1);
    }

    private static String email() {
        return "attack-" + UUID.randomUUID() + "@example.com";
    }

    private static String baseUrl(ConfigurableApplicationContext instance) {
        return StoreInstance.baseUrl(instance);
    }

    /** One request thread, so whatever a request leaves behind on its thread meets the next request. */
    private static ConfigurableApplicationContext start(String databaseUrl) {
        return StoreInstance.start(databaseUrl, "sa", "", "--server.tomcat.threads.max=1", "--server.tomcat.threads.min-spare=1");
    }
}
