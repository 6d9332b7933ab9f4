package org.bookstore.store.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;

/**
 * The message a change leaves for the next page ("added to your cart") waits in the session until that page is shown.
 * A client that never follows the redirects (a script, a robot, a buyer's double clicks) leaves them waiting.
 */
class WaitingMessagesTest extends GuestScenarios {

    @Test
    void aBuyerWhoNeverFollowsTheRedirectsLeavesOnlyTheNewestMessageWaiting() {
        HttpVisitor buyer = browser();
        buyer.register("Scripted Buyer", "scripted-" + UUID.randomUUID() + "@example.com", "correct horse battery");
        String page = buyer.get("/books/working-in-public").body();
        String session = jdbc.sql("SELECT primary_id FROM SPRING_SESSION WHERE session_id = ?")
                .param(new String(Base64.getDecoder().decode(buyer.cookie("SESSION")), StandardCharsets.UTF_8))
                .query(String.class).single();

        for (int i = 0; i < 150; i++) {
            assertThat(buyer.postFromWithoutFollowing(page, "/cart/add", "bookId", bookId, "quantity", "1").statusCode()).isEqualTo(302);
            assertThat(buyer.postFromWithoutFollowing(page, "/cart/lines/" + bookId + "/remove").statusCode()).isEqualTo(302);
        }
        assertThat(buyer.postFromWithoutFollowing(page, "/cart/add", "bookId", bookId, "quantity", "1").statusCode()).isEqualTo(302);

        assertThat(waitingMessagesBytes(session)).as("the session's waiting messages, in bytes").isLessThan(2_000);
        HttpResponse<String> cart = buyer.get("/cart");
        assertThat(cart.body()).contains("Added \u201cWorking in Public", "to your cart.")
                .doesNotContain("Removed from your cart.");
        assertThat(buyer.get("/cart").body()).as("no older message is left to show later")
                .doesNotContain("to your cart.").doesNotContain("Removed from your cart.");
        assertThat(waitingMessagesBytes(session)).isZero();
    }

    @Test
    void messagesForDifferentPagesWaitSideBySide() {
        HttpVisitor guest = browser();
        guest.get("/books/working-in-public");
        String page = guest.post("/cart/add", "bookId", bookId, "quantity", "1").body();
        assertThat(page).contains("to your cart.");
        assertThat(guest.postFromWithoutFollowing(page, "/cart/add", "bookId", bookId, "quantity", "100").headers().firstValue("Location").orElse(""))
                .endsWith("/books/working-in-public");
        assertThat(guest.postFromWithoutFollowing(page, "/cart/lines/" + bookId, "quantity", "100").statusCode()).isEqualTo(302);
        assertThat(guest.postFromWithoutFollowing(page, "/cart/lines/" + bookId, "quantity", "2").statusCode()).isEqualTo(302);

        assertThat(guest.get("/cart").body()).as("the newest message for the cart")
                .contains("Quantity updated.").doesNotContain("Quantity must be a whole number");
        assertThat(guest.get("/books/working-in-public").body()).as("the book page's own message")
                .contains("Quantity must be a whole number from 1 to 99.");
    }

    private int waitingMessagesBytes(String session) {
        return jdbc.sql("SELECT COALESCE(SUM(OCTET_LENGTH(attribute_bytes)), 0) FROM SPRING_SESSION_ATTRIBUTES "
                + "WHERE session_primary_id = ? AND attribute_name LIKE '%FLASH_MAPS'").param(session).query(Integer.class).single();
    }
}
