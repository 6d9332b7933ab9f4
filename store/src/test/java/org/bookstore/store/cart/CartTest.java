package org.bookstore.store.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Visitor.body;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

@StoreTest
class CartTest {

    private static final String PASSWORD = "correct horse battery";

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    AbandonedGuestCarts guestCarts;

    private Visitor buyer;
    private String email;
    private long hamming;
    private long mechner;

    @BeforeEach
    void registeredBuyer() {
        buyer = new Visitor(mvc);
        email = "cart-" + UUID.randomUUID() + "@example.com";
        buyer.register("Cart Tester", email, PASSWORD);
        hamming = bookId("art-of-doing-science-and-engineering");
        mechner = bookId("making-of-prince-of-persia");
    }

    @Test
    void anEmptyCartSaysSo() {
        String cart = body(buyer.get("/cart"));
        assertThat(cart).contains("Your cart is empty.");
        assertThat(itemCount(cart)).isZero();
    }

    @Test
    void addingBooksShowsThemWithTheServerComputedTotalAndTheHeaderCount() {
        MockHttpServletResponse added = buyer.post("/cart/add", "bookId", id(hamming), "quantity", "2");
        assertThat(buyer.redirectedTo()).isEqualTo("/cart");
        assertThat(body(added)).contains("Added \u201cThe Art of Doing Science and Engineering\u201d to your cart.");
        buyer.post("/cart/add", "bookId", id(mechner), "quantity", "1");

        String cart = body(buyer.get("/cart"));
        assertThat(cart).contains("$46.00", "$25.00", "$71.00");
        assertThat(itemCount(cart)).isEqualTo(3);
        assertThat(itemCount(body(buyer.get("/")))).isEqualTo(3);
        assertThat(lines()).isEqualTo(Map.of(hamming, 2, mechner, 1));
    }

    /**
     * The cart page is served by a plain controller on its own mapping: it keeps the layout's versioned style sheet
     * and the flash message after a change, answers HEAD (the server leaves out the body), and refuses other methods as
     * before.
     */
    @Test
    void theCartPageKeepsItsLayoutMessagesAndMethods() {
        String cart = body(buyer.post("/cart/add", "bookId", id(hamming), "quantity", "1"));
        assertThat(cart).contains("Added \u201cThe Art of Doing Science and Engineering\u201d to your cart.");
        assertThat(cart).containsPattern("href=\"/assets/css/store-[0-9a-f]{32}\\.css\"").contains("Cart Tester");
        assertThat(itemCount(cart)).isEqualTo(1);

        MockHttpServletResponse head = buyer.send(MockMvcRequestBuilders.head("/cart"));
        assertThat(head.getStatus()).isEqualTo(200);
        assertThat(head.getContentType()).startsWith("text/html");

        MockHttpServletResponse options = buyer.send(MockMvcRequestBuilders.options("/cart"));
        assertThat(options.getHeader("Allow")).contains("GET", "HEAD").doesNotContain("POST");

        MockHttpServletResponse post = buyer.post("/cart", "quantity", "5");
        assertThat(post.getStatus()).isEqualTo(405);
        assertThat(post.getHeader("Allow")).contains("GET").doesNotContain("POST");
        assertThat(itemCount(body(buyer.get("/cart")))).as("the refused request changed nothing").isEqualTo(1);
    }

    @Test
    void addingABookAlreadyInTheCartAddsToItsQuantity() {
        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "2");
        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "3");
        assertThat(lines()).isEqualTo(Map.of(hamming, 5));
    }

    @Test
    void changingTheQuantityAndRemovingALine() {
        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "1");
        buyer.post("/cart/add", "bookId", id(mechner), "quantity", "1");

        buyer.post("/cart/lines/" + hamming, "quantity", "4");
        assertThat(lines()).isEqualTo(Map.of(hamming, 4, mechner, 1));
        assertThat(body(buyer.get("/cart"))).contains("$92.00", "$117.00");

        buyer.post("/cart/lines/" + mechner + "/remove");
        assertThat(lines()).isEqualTo(Map.of(hamming, 4));

        buyer.post("/cart/lines/" + hamming + "/remove");
        assertThat(body(buyer.get("/cart"))).contains("Your cart is empty.");
    }

    @Test
    void theCartKeepsThePriceTheBookHadWhenItWasAdded() {
        buyer.post("/cart/add", "bookId", id(mechner), "quantity", "1");
        jdbc.sql("UPDATE books SET price_minor = 9900 WHERE id = ?").param(mechner).update();
        try {
            buyer.post("/cart/add", "bookId", id(mechner), "quantity", "1");
            assertThat(body(buyer.get("/cart"))).contains("$50.00").doesNotContain("$99.00");
        } finally {
            jdbc.sql("UPDATE books SET price_minor = 2500 WHERE id = ?").param(mechner).update();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "100", "abc", "", "1.5", "1e2"})
    void aQuantityOutside1To99IsRefusedAndTheCartIsUnchanged(String quantity) {
        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "2");

        MockHttpServletResponse add = buyer.post("/cart/add", "bookId", id(mechner), "quantity", quantity);
        assertThat(buyer.redirectedTo()).isEqualTo("/books/making-of-prince-of-persia");
        assertThat(body(add)).contains("Quantity must be a whole number from 1 to 99.");

        MockHttpServletResponse change = buyer.post("/cart/lines/" + hamming, "quantity", quantity);
        assertThat(body(change)).contains("Quantity must be a whole number from 1 to 99.");

        assertThat(lines()).isEqualTo(Map.of(hamming, 2));
    }

    @Test
    void aQuantityAboveTheStockIsRefused() {
        jdbc.sql("UPDATE books SET stock = 3 WHERE id = ?").param(hamming).update();
        try {
            buyer.post("/cart/add", "bookId", id(hamming), "quantity", "2");
            MockHttpServletResponse tooMany = buyer.post("/cart/add", "bookId", id(hamming), "quantity", "2");
            assertThat(body(tooMany)).contains(
                    "Only 3 copies of \u201cThe Art of Doing Science and Engineering\u201d are in stock and you already have 2 in your cart.");
            MockHttpServletResponse change = buyer.post("/cart/lines/" + hamming, "quantity", "4");
            assertThat(body(change)).contains("Only 3 copies");
            assertThat(lines()).isEqualTo(Map.of(hamming, 2));
        } finally {
            jdbc.sql("UPDATE books SET stock = 40 WHERE id = ?").param(hamming).update();
        }
    }

    @Test
    void moreThan99CopiesInTotalAreRefused() {
        jdbc.sql("UPDATE books SET stock = 500 WHERE id = ?").param(hamming).update();
        try {
            buyer.post("/cart/add", "bookId", id(hamming), "quantity", "60");
            MockHttpServletResponse over = buyer.post("/cart/add", "bookId", id(hamming), "quantity", "40");
            assertThat(body(over)).contains("at most 99 copies", "you already have 60");
            assertThat(lines()).isEqualTo(Map.of(hamming, 60));
        } finally {
            jdbc.sql("UPDATE books SET stock = 40 WHERE id = ?").param(hamming).update();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999", "abc", "-5", ""})
    void anUnknownBookIsRefusedAndTheCartIsUnchanged(String bookId) {
        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "1");

        MockHttpServletResponse add = buyer.post("/cart/add", "bookId", bookId, "quantity", "1");
        assertThat(body(add)).contains("That book is not in our catalogue.");
        MockHttpServletResponse remove = buyer.post("/cart/lines/" + (bookId.isEmpty() ? "x" : bookId) + "/remove");
        assertThat(body(remove)).contains("That book is not in our catalogue.");

        assertThat(lines()).isEqualTo(Map.of(hamming, 1));
    }

    @Test
    void removingABookThatIsNotInTheCartSaysSo() {
        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "1");
        MockHttpServletResponse remove = buyer.post("/cart/lines/" + mechner + "/remove");
        assertThat(body(remove)).contains("That book is not in your cart.");
        assertThat(lines()).isEqualTo(Map.of(hamming, 1));
    }

    @Test
    void aCartChangeWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "1");

        assertThat(buyer.postWithoutCsrf("/cart/add", "bookId", id(mechner), "quantity", "1").getStatus()).isEqualTo(403);
        assertThat(buyer.postWithoutCsrf("/cart/lines/" + hamming, "quantity", "5").getStatus()).isEqualTo(403);
        assertThat(buyer.postWithoutCsrf("/cart/lines/" + hamming + "/remove").getStatus()).isEqualTo(403);

        assertThat(lines()).isEqualTo(Map.of(hamming, 1));
    }

    @Test
    void theCartSurvivesLoggingOutAndBackIn() {
        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "2");
        buyer.logOut();
        assertThat(itemCount(body(buyer.get("/")))).isZero();

        buyer.logIn(email, PASSWORD);
        assertThat(itemCount(body(buyer.get("/cart")))).isEqualTo(2);
    }

    /**
     * A guest's cart is reached through a cookie that lasts 30 days. A guest cart opened longer ago than that (and a
     * day) is deleted with its lines by the hourly sweep; a guest cart opened 29 days ago and a buyer's cart as old as
     * the deleted one are kept, as they were. The guest whose cart went can fill a new one.
     */
    @Test
    void guestCartsNoBrowserCanReachAnyMoreAreDeletedAndNothingElse() {
        Visitor oldGuest = new Visitor(mvc);
        oldGuest.post("/cart/add", "bookId", id(hamming), "quantity", "2");
        long oldCart = newestGuestCart();
        Visitor recentGuest = new Visitor(mvc);
        recentGuest.post("/cart/add", "bookId", id(mechner), "quantity", "1");
        long recentCart = newestGuestCart();
        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "1");
        Instant now = Instant.now();
        openedAt(oldCart, now.minus(Duration.ofDays(32)));
        openedAt(recentCart, now.minus(Duration.ofDays(29)));
        jdbc.sql("UPDATE orders SET created_at = ? WHERE account_id = (SELECT id FROM accounts WHERE email = ?) AND status = 'cart'")
                .params(Timestamp.from(now.minus(Duration.ofDays(40))), email).update();

        assertThat(guestCarts.sweep()).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.sql("SELECT COUNT(*) FROM orders WHERE id = ?").param(oldCart).query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM order_lines WHERE order_id = ?").param(oldCart).query(Integer.class).single())
                .isZero();
        assertThat(itemCount(body(recentGuest.get("/cart")))).isEqualTo(1);
        assertThat(lines()).isEqualTo(Map.of(hamming, 1));
        assertThat(itemCount(body(buyer.get("/cart")))).isEqualTo(1);
        assertThat(body(oldGuest.get("/cart"))).contains("Your cart is empty.");
        oldGuest.post("/cart/add", "bookId", id(mechner), "quantity", "1");
        assertThat(itemCount(body(oldGuest.get("/cart")))).isEqualTo(1);
    }

    private long newestGuestCart() {
        return jdbc.sql("SELECT MAX(id) FROM orders WHERE account_id IS NULL AND status = 'cart'").query(Long.class).single();
    }

    private void openedAt(long orderId, Instant openedAt) {
        jdbc.sql("UPDATE orders SET created_at = ? WHERE id = ?").params(Timestamp.from(openedAt), orderId).update();
    }

    @Test
    void aGuestCanFillACartAndItIsMergedIntoTheAccountOnLogIn() {
        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "2");
        buyer.logOut();

        Visitor guest = new Visitor(mvc);
        guest.post("/cart/add", "bookId", id(hamming), "quantity", "3");
        guest.post("/cart/add", "bookId", id(mechner), "quantity", "1");
        assertThat(itemCount(body(guest.get("/cart")))).isEqualTo(4);

        guest.logIn(email, PASSWORD);

        assertThat(lines()).isEqualTo(Map.of(hamming, 5, mechner, 1));
        assertThat(itemCount(body(guest.get("/cart")))).isEqualTo(6);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM orders WHERE guest_token IS NOT NULL AND account_id IS NULL AND status = 'cart' "
                + "AND id IN (SELECT order_id FROM order_lines WHERE book_id = ? AND quantity = 3)").param(hamming)
                .query(Integer.class).single()).isZero();
    }

    @Test
    void mergedQuantitiesAreCappedAtTheStock() {
        jdbc.sql("UPDATE books SET stock = 4 WHERE id = ?").param(hamming).update();
        try {
            buyer.post("/cart/add", "bookId", id(hamming), "quantity", "3");
            buyer.logOut();
            Visitor guest = new Visitor(mvc);
            guest.post("/cart/add", "bookId", id(hamming), "quantity", "3");

            guest.logIn(email, PASSWORD);

            assertThat(lines()).isEqualTo(Map.of(hamming, 4));
        } finally {
            jdbc.sql("UPDATE books SET stock = 40 WHERE id = ?").param(hamming).update();
        }
    }

    @Test
    void checkoutNeedsAnAccountAndShowsWhatWillBeCharged() {
        Visitor guest = new Visitor(mvc);
        guest.post("/cart/add", "bookId", id(hamming), "quantity", "1");
        assertThat(body(guest.get("/checkout"))).contains("<h1 class=\"h3 mb-3\">Log in</h1>");
        assertThat(guest.redirectedTo()).isEqualTo("/login");

        buyer.post("/cart/add", "bookId", id(hamming), "quantity", "2");
        buyer.post("/cart/add", "bookId", id(mechner), "quantity", "1");
        String checkout = body(buyer.get("/checkout"));
        assertThat(checkout).contains("The Art of Doing Science and Engineering", "Total to pay", "$71.00");
    }

    @Test
    void checkoutWithAnEmptyCartGoesBackToTheCart() {
        MockHttpServletResponse checkout = buyer.get("/checkout");
        assertThat(buyer.redirectedTo()).isEqualTo("/cart");
        assertThat(body(checkout)).contains("Your cart is empty: add a book before checking out.");
    }

    private Map<Long, Integer> lines() {
        Map<Long, Integer> lines = new TreeMap<>();
        jdbc.sql("SELECT l.book_id, l.quantity FROM order_lines l JOIN orders o ON o.id = l.order_id "
                        + "JOIN accounts a ON a.id = o.account_id WHERE a.email = ? AND o.status = 'cart'")
                .param(email)
                .query(rs -> {
                    lines.put(rs.getLong(1), rs.getInt(2));
                });
        return lines;
    }

    @Test
    void aTitleThatLooksLikeTheHeaderCountOrAFormTokenIsShownAsTextAndLeavesBothRight() {
        String title = "Forged name=\"_csrf\" value=\"stolen\" data-testid=\"cart-count\">99< title";
        String original = jdbc.sql("SELECT title FROM books WHERE id = ?").param(mechner).query(String.class).single();
        jdbc.sql("UPDATE books SET title = ? WHERE id = ?").params(title, mechner).update();
        try {
            buyer.post("/cart/add", "bookId", id(mechner), "quantity", "2");
        } finally {
            jdbc.sql("UPDATE books SET title = ? WHERE id = ?").params(original, mechner).update();
        }
        for (int visit = 0; visit < 2; visit++) {
            String cart = body(buyer.get("/cart"));
            assertThat(itemCount(cart)).isEqualTo(2);
            assertThat(cart).doesNotContain("value=\"stolen\"").doesNotContain(">99<").contains("Forged name=&quot;_csrf&quot;");
            buyer.postWithPageToken("/cart", "/cart/lines/" + mechner, "quantity", "3");
            assertThat(itemCount(body(buyer.get("/cart")))).as("the page's own form token works").isEqualTo(3);
            buyer.postWithPageToken("/cart", "/cart/lines/" + mechner, "quantity", "2");
        }
    }

    private long bookId(String slug) {
        return jdbc.sql("SELECT id FROM books WHERE slug = ?").param(slug).query(Long.class).single();
    }

    private static String id(long id) {
        return Long.toString(id);
    }

    static int itemCount(String html) {
        var matcher = java.util.regex.Pattern.compile("data-testid=\"cart-count\">(\\d+)<").matcher(html);
        assertThat(matcher.find()).as("header shows the cart count").isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
