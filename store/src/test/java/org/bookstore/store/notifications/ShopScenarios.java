package org.bookstore.store.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.bookstore.store.support.HttpVisitor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Buyers of a store running on a random port with its embedded Stripe emulator: real HTTP clients paying on the
 * emulator's hosted page. Every buyer has an address of their own, so a test reads only its own buyer's mail.
 */
abstract class ShopScenarios {

    static final String VISA = "4242 4242 4242 4242";
    static final String DECLINED = "4000 0000 0000 0002";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MailCourier courier;

    /** A registered buyer with 2 x "The Art of Doing Science and Engineering" and 1 x "Prince of Persia": $71.00. */
    record Shopper(HttpVisitor browser, String email) {
    }

    Shopper shopperWithCart() {
        Shopper shopper = registeredBuyer();
        addToCart(shopper.browser(), "art-of-doing-science-and-engineering", 2);
        addToCart(shopper.browser(), "making-of-prince-of-persia", 1);
        return shopper;
    }

    /** A new buyer, registered and logged in, with an empty cart. */
    Shopper registeredBuyer() {
        HttpVisitor browser = new HttpVisitor("http://localhost:" + port);
        String email = "mail-" + UUID.randomUUID() + "@example.com";
        browser.register("Mail Reader", email, "correct horse battery");
        return new Shopper(browser, email);
    }

    void addToCart(HttpVisitor browser, String slug, int copies) {
        browser.get("/books/" + slug);
        browser.post("/cart/add", "bookId", Long.toString(bookId(slug)), "quantity", Integer.toString(copies));
    }

    /** Checkout, then "Pay": the response is the hosted payment page the store redirected to. */
    HttpResponse<String> startCheckout(Shopper shopper) {
        shopper.browser().get("/checkout");
        return shopper.browser().post("/checkout/pay");
    }

    HttpResponse<String> payOnHostedPage(Shopper shopper, HttpResponse<String> hostedPage, String card) {
        return shopper.browser().submitTo(hostedPage.uri().toString(), true, "email", shopper.email(),
                "card_number", card, "expiry", "12 / 34", "cvc", "123", "name", "Mail Reader");
    }

    /** Pays the shopper's cart with the Visa card and returns the paid order's number. */
    long pay(Shopper shopper) {
        HttpResponse<String> confirmation = payOnHostedPage(shopper, startCheckout(shopper), VISA);
        assertThat(confirmation.body()).contains("Your payment was received");
        return Long.parseLong(confirmation.uri().getPath().replace("/orders/", ""));
    }

    long orderOf(HttpResponse<String> hostedPage) {
        String path = hostedPage.uri().getPath();
        String sessionId = path.substring(path.lastIndexOf('/') + 1);
        return jdbc.sql("SELECT order_id FROM checkout_attempts WHERE checkout_session_id = ?").param(sessionId).query(Long.class).single();
    }

    String chargeId(long orderId) {
        return jdbc.sql("SELECT charge_id FROM checkout_attempts WHERE order_id = ? AND charge_id IS NOT NULL").param(orderId)
                .query(String.class).single();
    }

    long bookId(String slug) {
        return jdbc.sql("SELECT id FROM books WHERE slug = ?").param(slug).query(Long.class).single();
    }

    /** The status of the store's mail of {@code kind} about the order, once it has one. */
    String mailStatus(String kind, long orderId) {
        return jdbc.sql("SELECT status FROM outgoing_mail WHERE kind = ? AND order_id = ?").params(kind, orderId)
                .query(String.class).optional().orElse("none");
    }

    /** Waits until the store has finished with its mail of {@code kind} about the order: after that nothing more is sent. */
    void awaitSent(String kind, long orderId) {
        eventually("the " + kind + " of order " + orderId + " was sent", () -> mailStatus(kind, orderId).equals("sent"));
    }
}
