package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
    private static final String OWNER = "owner@bookstore.example";
    private static final String OWNER_PASSWORD = "Correct-Horse-Battery-42";

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

    /**
     * A visitor with no session who asks for a page that needs a log-in is sent to log in and given no session: a
     * robot asking for such pages again and again with no cookie wrote one week-long session row per request, hundreds
     * a second. The page asked for is still where logging in (on either instance) or registering leads.
     */
    @Test
    void visitorsSentToLogInAreGivenNoSessionAndStillComeBackToThePageTheyAskedFor() throws Exception {
        int before = sessions();
        for (String page : List.of("/orders", "/checkout", "/orders/1", "/admin", "/admin/orders?status=paid")) {
            HttpVisitor robot = new HttpVisitor(baseUrl(first));
            HttpResponse<String> landed = robot.get(page);
            assertThat(landed.uri().getPath()).as(page).isEqualTo("/login");
            assertThat(landed.statusCode()).as(page).isEqualTo(200);
            assertThat(robot.cookie("SESSION")).as(page).isNull();
        }
        assertThat(sessions()).isEqualTo(before);
        for (String[] script : List.of(new String[] {"Accept", "application/json"}, new String[] {"X-Requested-With", "XMLHttpRequest"})) {
            HttpResponse<String> fetched = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(baseUrl(first) + "/orders/1")).header(script[0], script[1]).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(fetched.statusCode()).as(script[1]).isEqualTo(302);
            assertThat(fetched.headers().allValues("Set-Cookie")).as("a script's fetch is no page to come back to")
                    .noneMatch(cookie -> cookie.startsWith("RETURN_TO=") || cookie.startsWith("SESSION="));
        }

        HttpVisitor owner = new HttpVisitor(baseUrl(first));
        assertThat(owner.get("/admin/orders?status=paid").uri().getPath()).isEqualTo("/login");
        HttpResponse<String> backOffice = owner.on(baseUrl(second)).post("/login", "email", OWNER, "password", OWNER_PASSWORD);
        assertThat(backOffice.uri().getPath() + "?" + backOffice.uri().getQuery()).isEqualTo("/admin/orders?status=paid");
        assertThat(owner.cookie("RETURN_TO")).as("the detour ends on arrival").isNull();
        owner.post("/logout");
        assertThat(owner.logIn(OWNER, OWNER_PASSWORD).uri().getPath()).isEqualTo("/");

        String bookId = jdbc.sql("SELECT id FROM books WHERE slug = 'working-in-public'").query(Long.class).single().toString();
        String email = email();
        new HttpVisitor(baseUrl(first)).register("Returning Buyer", email, PASSWORD);
        HttpVisitor guest = new HttpVisitor(baseUrl(second));
        guest.get("/books/working-in-public");
        guest.post("/cart/add", "bookId", bookId, "quantity", "1");
        HttpResponse<String> toLogIn = guest.get("/checkout");
        assertThat(toLogIn.uri().getPath()).isEqualTo("/login");
        assertThat(toLogIn.body()).contains("Log in or register to pay; your cart is kept.");
        assertThat(guest.on(baseUrl(first)).post("/login", "email", email, "password", PASSWORD).uri().getPath())
                .isEqualTo("/checkout");

        HttpVisitor newcomer = new HttpVisitor(baseUrl(first));
        newcomer.get("/books/working-in-public");
        newcomer.post("/cart/add", "bookId", bookId, "quantity", "1");
        newcomer.get("/checkout");
        assertThat(newcomer.get("/register").body()).contains("Log in or register to pay; your cart is kept.");
        assertThat(newcomer.post("/register", "name", "New Buyer", "email", email(), "password", PASSWORD).uri().getPath())
                .isEqualTo("/checkout");
    }

    /**
     * The page to return to comes back from the browser, so anything may be in it: whatever it holds, logging in
     * answers and leads to a page of this store, never to another site.
     */
    @Test
    void aForgedPageToReturnToNeverLeadsOffTheStoreOrBreaksLogIn() {
        String email = email();
        new HttpVisitor(baseUrl(first)).register("Forged Return", email, PASSWORD);
        for (String forged : List.of(encoded("https://attacker.example/phish"), encoded("//attacker.example/phish"),
                encoded("/\\attacker.example/phish"), encoded("/\r\nLocation: //x"),
                encoded("javascript:alert(1)"), "!!not-base64!!", "", encoded("/" + "a".repeat(10_000)),
                encoded("/{x}"), encoded("/orders?x={x}"), encoded("/\uD83D\uDE00"), encoded("/\uFF0F/attacker.example"))) {
            HttpVisitor visitor = HttpVisitor.withCookie(baseUrl(first), "RETURN_TO", forged);
            HttpResponse<String> login = visitor.get("/login");
            assertThat(login.statusCode()).as(forged).isEqualTo(200);
            assertThat(login.body()).as(forged).doesNotContain("Log in or register to pay");
            HttpResponse<String> landed = visitor.post("/login", "email", email, "password", PASSWORD);
            assertThat(landed.statusCode()).as(forged).isEqualTo(200);
            assertThat(landed.uri().getHost() + ":" + landed.uri().getPort()).as(forged)
                    .isEqualTo(java.net.URI.create(baseUrl(first)).getHost() + ":" + java.net.URI.create(baseUrl(first)).getPort());
            assertThat(landed.body()).as(forged).contains("Forged Return");

            HttpVisitor newcomer = HttpVisitor.withCookie(baseUrl(second), "RETURN_TO", forged);
            newcomer.get("/register");
            HttpResponse<String> registered = newcomer.post("/register", "name", "Forged Newcomer", "email", email(), "password", PASSWORD);
            assertThat(registered.statusCode()).as(forged).isEqualTo(200);
            assertThat(registered.uri().getPath()).as(forged).isEqualTo("/");
            assertThat(registered.body()).as(forged).contains("Welcome to Bookstore, Forged Newcomer.");
        }
    }

    private static String encoded(String path) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(StandardCharsets.UTF_8));
    }

    private int sessions() {
        return jdbc.sql("SELECT COUNT(*) FROM SPRING_SESSION").query(Integer.class).single();
    }

    /**
     * A guest's session only carries a message to the next page (its cart is found by its own cookie), so it lasts
     * minutes, not the logged-in week: a robot posting to the cart leaves rows the clean-up removes within a quarter of
     * an hour. Logging in or registering, on either instance, gives the session the full week; a guest whose session
     * ended still has the cart.
     */
    @Test
    void aGuestsSessionLastsMinutesAndLoggingInOrRegisteringGivesItTheWeek() {
        String bookId = jdbc.sql("SELECT id FROM books WHERE slug = 'working-in-public'").query(Long.class).single().toString();
        String email = email();
        new HttpVisitor(baseUrl(first)).register("Week Long", email, PASSWORD);

        HttpVisitor guest = new HttpVisitor(baseUrl(first));
        guest.get("/books/working-in-public");
        assertThat(guest.post("/cart/add", "bookId", bookId, "quantity", "1").body()).contains("to your cart.");
        assertThat(lifetimeOf(guest)).isEqualTo(15 * 60);
        assertThat(secondsLeft(guest)).isBetween(13L * 60, 15L * 60 + 5);
        guest.get("/cart");
        assertThat(lifetimeOf(guest)).as("browsing does not lengthen it").isEqualTo(15 * 60);

        jdbc.sql("UPDATE SPRING_SESSION SET LAST_ACCESS_TIME = LAST_ACCESS_TIME - (MAX_INACTIVE_INTERVAL + 1) * 1000,"
                + " EXPIRY_TIME = EXPIRY_TIME - (MAX_INACTIVE_INTERVAL + 1) * 1000 WHERE SESSION_ID = ?").param(sessionId(guest)).update();
        assertThat(guest.on(baseUrl(second)).get("/cart").body()).as("the cart outlives the guest's session")
                .contains("data-book-id=\"" + bookId + "\"", "data-testid=\"cart-count\">1<");

        guest.on(baseUrl(second)).post("/cart/add", "bookId", bookId, "quantity", "1");
        assertThat(lifetimeOf(guest)).isEqualTo(15 * 60);
        guest.on(baseUrl(second)).logIn(email, PASSWORD);
        assertThat(lifetimeOf(guest)).isEqualTo(7 * 24 * 3600);
        assertThat(secondsLeft(guest)).isGreaterThan(7L * 24 * 3600 - 60);
        assertThat(guest.get("/cart").body()).contains("Week Long");

        HttpVisitor newcomer = new HttpVisitor(baseUrl(second));
        newcomer.get("/books/working-in-public");
        newcomer.post("/cart/add", "bookId", bookId, "quantity", "1");
        assertThat(lifetimeOf(newcomer)).isEqualTo(15 * 60);
        newcomer.register("Registered Newcomer", email(), PASSWORD);
        assertThat(lifetimeOf(newcomer)).isEqualTo(7 * 24 * 3600);
    }

    private String sessionId(HttpVisitor visitor) {
        return new String(Base64.getDecoder().decode(visitor.cookie("SESSION")), StandardCharsets.UTF_8);
    }

    private int lifetimeOf(HttpVisitor visitor) {
        return jdbc.sql("SELECT MAX_INACTIVE_INTERVAL FROM SPRING_SESSION WHERE SESSION_ID = ?").param(sessionId(visitor))
                .query(Integer.class).single();
    }

    private long secondsLeft(HttpVisitor visitor) {
        long expiry = jdbc.sql("SELECT EXPIRY_TIME FROM SPRING_SESSION WHERE SESSION_ID = ?").param(sessionId(visitor))
                .query(Long.class).single();
        return (expiry - System.currentTimeMillis()) / 1000;
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
        return StoreInstance.start(databaseUrl, "sa", "", "--server.tomcat.threads.max=1", "--server.tomcat.threads.min-spare=1",
                "--bookstore.admin.email=" + OWNER, "--bookstore.admin.password=" + OWNER_PASSWORD);
    }
}
