package org.bookstore.store.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A guest's "added to your cart" travels to the next page in a session made for it. A robot posting the form with a
 * cart cookie but never a session cookie would make a session row a request. Over real HTTP: one client starts at most
 * its limit of sessions this way; past it the books are still added, only the message is not shown, and no row is
 * written; visitors who have a session keep getting their messages.
 */
@TestPropertySource(properties = "bookstore.sessions.max-new-guest-sessions-per-address=3")
class GuestMessagesLimitTest extends GuestScenarios {

    @Test
    void pastItsLimitAClientsBooksAreStillAddedButNoSessionIsMadeToSaySo() {
        List<HttpVisitor> guests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpVisitor guest = browser();
            guest.get("/books/working-in-public");
            assertThat(guest.post("/cart/add", "bookId", bookId, "quantity", "1").body()).contains("to your cart.");
            assertThat(guest.cookie("SESSION")).isNotNull();
            guests.add(guest);
        }
        int sessions = sessions();

        String cart = guests.get(0).cookie("bookstore_cart");
        for (int i = 0; i < 5; i++) {
            HttpVisitor robot = HttpVisitor.withCookie(baseUrl(), "bookstore_cart", cart);
            robot.get("/books/working-in-public");
            HttpResponse<String> added = robot.post("/cart/add", "bookId", bookId, "quantity", "1");
            assertThat(added.statusCode()).isEqualTo(200);
            assertThat(added.uri().getPath()).isEqualTo("/cart");
            assertThat(added.body()).doesNotContain("to your cart.");
            assertThat(robot.cookie("SESSION")).isNull();
        }
        assertThat(sessions()).as("no session row was written").isEqualTo(sessions);
        assertThat(jdbc.sql("SELECT l.quantity FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.guest_token = ?")
                .param(cart).query(Integer.class).single()).as("every add was made").isEqualTo(6);

        HttpVisitor newcomer = browser();
        newcomer.get("/books/working-in-public");
        assertThat(newcomer.post("/cart/add", "bookId", bookId, "quantity", "2").body())
                .doesNotContain("to your cart.").contains("Working in Public");
        assertThat(newcomer.cookie("SESSION")).isNull();

        HttpVisitor withSession = guests.get(1);
        withSession.get("/books/working-in-public");
        assertThat(withSession.post("/cart/add", "bookId", bookId, "quantity", "1").body())
                .as("a guest who has a session still gets the message").contains("to your cart.");
        assertThat(withSession.post("/cart/lines/" + bookId, "quantity", "100").body())
                .contains("Quantity must be a whole number from 1 to 99.");
        assertThat(sessions()).isEqualTo(sessions);
    }
}
