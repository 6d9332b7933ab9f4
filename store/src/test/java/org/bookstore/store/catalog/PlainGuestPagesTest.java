package org.bookstore.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.bookstore.store.support.HttpVisitor;
import org.bookstore.store.support.StoreInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Catalogue pages served to plain guests (no session, no cart, no cookie but the CSRF one) from the copy kept for
 * their address, before the filter chain, over real HTTP: what such a guest receives is exactly what the whole chain
 * would have sent, its form token works, and nobody else is ever served that way.
 */
class PlainGuestPagesTest {

    private static ConfigurableApplicationContext store;
    private static String base;
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        // Copies are kept for an hour here, so which request renders and which is served from the copy is certain.
        store = StoreInstance.start("jdbc:h2:mem:plain-guests-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "",
                "--bookstore.catalog.fresh-for=1h");
        base = StoreInstance.baseUrl(store);
    }

    @AfterAll
    static void stop() {
        store.getBean(JdbcClient.class).sql("SHUTDOWN").update();
        store.close();
    }

    @Test
    void aPlainGuestIsSentExactlyWhatTheWholeFilterChainSends() throws Exception {
        for (String path : List.of("/", "/?sort=price", "/books/working-in-public", "/search?q=engineering")) {
            store.getBean(RenderedPages.class).forgetAfterCommit();
            double before = servedFromCopies();
            HttpResponse<String> rendered = get(path);
            assertThat(servedFromCopies()).as("the first request for %s renders it", path).isEqualTo(before);
            HttpResponse<String> copy = get(path);
            assertThat(servedFromCopies()).as("the next plain guest is served the copy of %s", path).isEqualTo(before + 1);

            assertThat(copy.statusCode()).isEqualTo(rendered.statusCode()).isEqualTo(200);
            assertThat(headers(copy)).as(path).isEqualTo(headers(rendered))
                    .containsKeys("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy",
                            "cache-control", "set-cookie");
            assertThat(withoutTokens(copy.body())).as(path).isEqualTo(withoutTokens(rendered.body()));
        }
    }

    /** Tomcat is handed these headers as bytes (common/HeaderBytes): they arrive whole, on every kind of page. */
    @Test
    void everyPageArrivesWithItsSecurityHeadersWhole() throws Exception {
        for (String path : List.of("/", "/", "/books/working-in-public", "/books/no-such-book", "/login")) {
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + path)));
            assertThat(page.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(policy ->
                    assertThat(policy).startsWith("default-src 'self'").endsWith("frame-ancestors 'none'"));
            assertThat(page.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(page.headers().firstValue("Referrer-Policy")).as(path).contains("strict-origin-when-cross-origin");
            assertThat(page.headers().firstValue("Content-Type")).as(path).contains("text/html;charset=UTF-8");
            assertThat(page.body()).as(path).contains("</html>");
        }
    }

    @Test
    void theFormTokenOnAPageServedFromTheCopyAddsTheBookToTheCart() {
        get("/books/working-in-public");
        HttpVisitor guest = new HttpVisitor(base);
        double before = servedFromCopies();
        String page = guest.get("/books/working-in-public").body();
        assertThat(servedFromCopies()).isEqualTo(before + 1);
        assertThat(page).contains("data-testid=\"cart-count\">0<");

        String cart = guest.post("/cart/add", "bookId", bookId("working-in-public"), "quantity", "2").body();
        assertThat(cart).contains("data-testid=\"cart-count\">2<");
        double withACart = servedFromCopies();
        assertThat(guest.get("/books/working-in-public").body()).as("a guest with a cart sees their own count")
                .contains("data-testid=\"cart-count\">2<");
        assertThat(servedFromCopies()).as("a guest with a cart is not a plain guest").isEqualTo(withACart);
    }

    @Test
    void aGuestWhoAlreadyHasACsrfCookieKeepsItAndItsTokenWorks() {
        HttpVisitor guest = new HttpVisitor(base);
        guest.get("/");
        String cookie = guest.cookie("XSRF-TOKEN");
        assertThat(cookie).isNotBlank();
        get("/books/working-in-public");
        double before = servedFromCopies();
        guest.get("/books/working-in-public");
        assertThat(servedFromCopies()).isEqualTo(before + 1);
        assertThat(guest.cookie("XSRF-TOKEN")).isEqualTo(cookie);
        assertThat(guest.post("/cart/add", "bookId", bookId("working-in-public"), "quantity", "1").body())
                .contains("data-testid=\"cart-count\">1<");
    }

    @Test
    void nobodyButAPlainGuestAskingForAPageAGuestWasShownIsServedFromTheCopy() throws Exception {
        get("/");
        get("/books/working-in-public");
        HttpVisitor buyer = new HttpVisitor(base);
        buyer.register("Lane Watcher", "lane-" + UUID.randomUUID() + "@example.com", "correct horse battery");

        double before = servedFromCopies();
        assertThat(buyer.get("/").body()).contains("Lane Watcher");
        assertThat(buyer.get("/books/working-in-public").body()).contains("Lane Watcher");
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/")).header("Cookie", "theme=dark")).body())
                .as("another cookie").doesNotContain("Lane Watcher").contains("data-testid=\"cart-count\">0<");
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/")).header("Authorization", "Basic YTpi")).statusCode())
                .isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/")).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/books/working-in-public"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).as("a form post without a token").isEqualTo(403);
        for (int i = 0; i < 2; i++) {
            assertThat(get("/books/no-such-book").statusCode()).isEqualTo(404);
            assertThat(get("/?after=not-a-cursor").statusCode()).isGreaterThanOrEqualTo(400);
            assertThat(get("/books/working-in-public/").statusCode()).isEqualTo(404);
        }
        assertThat(servedFromCopies()).isEqualTo(before);
    }

    @Test
    void aGetWithAFormInItsBodyNeverDecidesWhatOtherGuestsAreShownAtItsAddress() {
        String firstByTitle = "href=\"/books/" + store.getBean(JdbcClient.class)
                .sql("SELECT slug FROM books ORDER BY title, id").query(String.class).list().get(0) + "\"";
        for (int i = 0; i < 2; i++) {
            store.getBean(RenderedPages.class).forgetAfterCommit();
            // Tomcat and Spring read the parameters of a multipart body on a GET too: the page answers them.
            assertThat(send(getWithForm("/search?q=refund", "q", "Refunds: call +1 555 0100")).body()).contains("555 0100");
            assertThat(send(getWithForm("/", "sort", "price")).statusCode()).isEqualTo(200);

            assertThat(get("/search?q=refund").body()).doesNotContain("555 0100");
            String home = get("/").body();
            assertThat(home.indexOf("href=\"/books/")).as("the catalogue in title order").isEqualTo(home.indexOf(firstByTitle));
        }
    }

    @Test
    void onlyAVisitorAtTheStoresOwnMachineIsShownTheSentMailLink() {
        store.getBean(RenderedPages.class).forgetAfterCommit();
        for (int i = 0; i < 2; i++) {
            assertThat(get("/books/working-in-public").body()).as("from this machine").contains("data-testid=\"sent-mail-link\"");
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/books/working-in-public"))
                    .header("X-Forwarded-For", "203.0.113.9")).body()).as("through a proxy").doesNotContain("sent-mail-link");
        }
        double before = servedFromCopies();
        get("/books/working-in-public");
        send(HttpRequest.newBuilder(URI.create(base + "/books/working-in-public")).header("X-Forwarded-For", "203.0.113.9"));
        assertThat(servedFromCopies()).as("both kinds of guest are served their copy").isEqualTo(before + 2);
    }

    private static HttpRequest.Builder getWithForm(String path, String name, String value) {
        String boundary = "boundary" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n--"
                + boundary + "--\r\n";
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .method("GET", HttpRequest.BodyPublishers.ofString(body));
    }

    private static double servedFromCopies() {
        return store.getBean(MeterRegistry.class).get("bookstore.pages.plain-guest").counter().count();
    }

    /** A plain guest: a new browser with no cookie at all. */
    private static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Every header and its values, but the date, a new CSRF cookie's random value, and the Content-Language that a
     * page's first rendering (never its copies, whoever they are served to) sets.
     */
    private static Map<String, List<String>> headers(HttpResponse<String> response) {
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        headers.remove("date");
        headers.remove("content-language");
        headers.computeIfPresent("set-cookie", (name, values) -> values.stream()
                .map(value -> value.replaceFirst("^XSRF-TOKEN=[A-Za-z0-9_-]{22};", "XSRF-TOKEN=(new);")).toList());
        return headers;
    }

    private static String withoutTokens(String page) {
        return page.replaceAll("name=\"_csrf\" value=\"[^\"]+\"", "name=\"_csrf\" value=\"(token)\"");
    }

    private static String bookId(String slug) {
        return store.getBean(JdbcClient.class).sql("SELECT id FROM books WHERE slug = ?").param(slug).query(Long.class)
                .single().toString();
    }
}
