package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.bookstore.emulator.StripeEmulator;
import org.bookstore.store.support.HttpVisitor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole store on a random port with its embedded Stripe emulator: buyers are real HTTP clients, they pay on
 * the emulator's hosted Checkout page, and webhooks arrive signed at the store's endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class CheckoutScenarios {

    static final String VISA = "4242 4242 4242 4242";
    static final String DECLINED = "4000 0000 0000 0002";

    @LocalServerPort
    int port;
    @Autowired
    org.bookstore.store.payments.stripe.StripeAccess stripe;
    @Autowired
    JdbcClient jdbc;

    /** A registered buyer with 2 x "The Art of Doing Science and Engineering" and 1 x "Prince of Persia": $71.00. */
    record Shopper(HttpVisitor browser, String email) {
    }

    StripeEmulator emulator() {
        return stripe.emulator().orElseThrow();
    }

    Shopper shopperWithCart() {
        HttpVisitor browser = new HttpVisitor("http://localhost:" + port);
        String email = "payer-" + UUID.randomUUID() + "@example.com";
        browser.register("Paying Buyer", email, "correct horse battery");
        browser.get("/books/art-of-doing-science-and-engineering");
        browser.post("/cart/add", "bookId", Long.toString(bookId("art-of-doing-science-and-engineering")), "quantity", "2");
        browser.get("/books/making-of-prince-of-persia");
        browser.post("/cart/add", "bookId", Long.toString(bookId("making-of-prince-of-persia")), "quantity", "1");
        return new Shopper(browser, email);
    }

    /** Checkout, then "Pay": the response is the hosted payment page the store redirected to. */
    HttpResponse<String> startCheckout(Shopper shopper) {
        shopper.browser().get("/checkout");
        return shopper.browser().post("/checkout/pay");
    }

    /** Fills in the hosted page and presses "Pay"; with {@code comeBack} false the buyer never returns to the shop. */
    HttpResponse<String> payOnHostedPage(Shopper shopper, HttpResponse<String> hostedPage, String card, boolean comeBack) {
        return shopper.browser().submitTo(hostedPage.uri().toString(), comeBack, "email", shopper.email(),
                "card_number", card, "expiry", "12 / 34", "cvc", "123", "name", "Paying Buyer");
    }

    static String sessionId(HttpResponse<String> hostedPage) {
        String path = hostedPage.uri().getPath();
        assertThat(path).as("the buyer is on the hosted Checkout page").contains("/cs_");
        return path.substring(path.lastIndexOf('/') + 1);
    }

    long orderOf(String sessionId) {
        return jdbc.sql("SELECT order_id FROM checkout_attempts WHERE checkout_session_id = ?").param(sessionId).query(Long.class).single();
    }

    String status(long orderId) {
        return jdbc.sql("SELECT status FROM orders WHERE id = ?").param(orderId).query(String.class).single();
    }

    String chargeId(long orderId) {
        return jdbc.sql("SELECT charge_id FROM checkout_attempts WHERE order_id = ? AND charge_id IS NOT NULL").param(orderId)
                .query(String.class).optional().orElse(null);
    }

    int transitionsTo(long orderId, String status) {
        return jdbc.sql("SELECT COUNT(*) FROM order_status_changes WHERE order_id = ? AND to_status = ? AND from_status <> to_status")
                .params(orderId, status).query(Integer.class).single();
    }

    int stock(String slug) {
        return jdbc.sql("SELECT stock FROM books WHERE slug = ?").param(slug).query(Integer.class).single();
    }

    long bookId(String slug) {
        return jdbc.sql("SELECT id FROM books WHERE slug = ?").param(slug).query(Long.class).single();
    }

    long sessionsForOrder(long orderId) {
        return emulator().objectsJson("checkout.session").stream()
                .filter(json -> json.contains("\"client_reference_id\":\"" + orderId + "\"")).count();
    }
}
