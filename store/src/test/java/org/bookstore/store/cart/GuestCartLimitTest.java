package org.bookstore.store.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bookstore.store.support.AtOnce;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A robot posting the add-to-cart form without the cart cookie opens a new guest cart, kept for a month, with every
 * request. Over real HTTP: one client opens at most its limit of new carts within the window; the next is told to wait
 * with nothing written (no cart, no session), while its carts, its log-ins and other clients go on as before.
 */
@TestPropertySource(properties = "bookstore.cart.max-new-guest-carts-per-address=3")
class GuestCartLimitTest extends GuestScenarios {

    @Test
    void aClientPastItsLimitOfNewCartsIsToldToWaitAndNothingIsWritten() {
        List<HttpVisitor> guests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpVisitor guest = browser();
            guest.get("/books/working-in-public");
            assertThat(guest.post("/cart/add", "bookId", bookId, "quantity", "1").body()).contains("to your cart.");
            guests.add(guest);
        }
        int sessions = sessions();
        int carts = guestCarts();

        HttpVisitor robot = browser();
        robot.get("/books/working-in-public");
        HttpResponse<String> refused = robot.post("/cart/add", "bookId", bookId, "quantity", "1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValueAsLong("Retry-After").orElse(-1)).isBetween(800L, 900L);
        assertThat(refused.body()).contains("Your book was not added")
                .contains("Too many new carts were started from your network.").contains("Please wait 15 minute(s)");
        assertThat(robot.cookie("SESSION")).as("no session is made to answer it").isNull();
        assertThat(sessions()).isEqualTo(sessions);
        assertThat(guestCarts()).as("no cart is opened").isEqualTo(carts);

        HttpVisitor forgedCookie = HttpVisitor.withCookie(baseUrl(), "bookstore_cart", "0123456789abcdef0123456789abcdef");
        forgedCookie.get("/books/working-in-public");
        assertThat(forgedCookie.post("/cart/add", "bookId", bookId, "quantity", "1").statusCode())
                .as("a made-up cart cookie opens a new cart too, and is counted").isEqualTo(429);
        assertThat(guestCarts()).isEqualTo(carts);

        HttpVisitor returning = guests.get(0);
        assertThat(returning.post("/cart/add", "bookId", bookId, "quantity", "2").body())
                .as("a guest with a cart adds to it as before").contains("to your cart.");
        assertThat(returning.get("/cart").body()).contains("Working in Public");
        HttpVisitor buyer = browser();
        buyer.register("Limit Buyer", "cart-limit-" + System.nanoTime() + "@example.com", "correct horse battery");
        buyer.get("/books/working-in-public");
        assertThat(buyer.post("/cart/add", "bookId", bookId, "quantity", "1").body())
                .as("a logged-in buyer's cart is the account's, not counted").contains("to your cart.");

        jdbc.sql("UPDATE client_counts SET locked_until = ?, window_started = ? WHERE throttle_key LIKE 'guest-carts:%'")
                .params(Timestamp.from(Instant.now().minusSeconds(1)), Timestamp.from(Instant.now().minusSeconds(16 * 60)))
                .update();
        robot.get("/books/working-in-public");
        assertThat(robot.post("/cart/add", "bookId", bookId, "quantity", "1").body())
                .as("once the wait is over").contains("to your cart.");
        assertThat(guestCarts()).isEqualTo(carts + 1);
    }

    /** Sent all at once, new carts cannot all pass the check before any is counted. */
    @Test
    void newCartsSentAtOnceAreNoMoreThanTheLimit() throws Exception {
        int carts = guestCarts();
        List<HttpVisitor> guests = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            HttpVisitor guest = browser();
            guest.get("/books/working-in-public");
            guests.add(guest);
        }
        List<Integer> answered = AtOnce.run(guests.stream()
                .<Callable<Integer>>map(guest -> () -> guest.post("/cart/add", "bookId", bookId, "quantity", "1").statusCode())
                .toList());
        assertThat(answered).containsOnly(200, 429);
        assertThat(answered.stream().filter(status -> status == 200).count()).isEqualTo(3);
        assertThat(guestCarts()).isEqualTo(carts + 3);
    }
}
