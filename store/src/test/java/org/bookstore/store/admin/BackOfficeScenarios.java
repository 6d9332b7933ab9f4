package org.bookstore.store.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bookstore.emulator.StripeEmulator;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole store on a random port with its embedded Stripe emulator: buyers pay on the emulator's hosted page, the
 * shop owner works in the back office over real HTTP, and Stripe's webhooks arrive signed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class BackOfficeScenarios {

    static final String ADMIN_EMAIL = "owner@bookstore.example";
    static final String ADMIN_PASSWORD = "Correct-Horse-Battery-42";
    static final String VISA = "4242 4242 4242 4242";
    static final String REFUND_PENDING = "4000 0000 0000 7726";
    static final String REFUND_FAILS = "4000 0000 0000 5126";
    static final String DISPUTED = "4000 0000 0000 0259";
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;
    @Autowired
    StripeAccess stripe;
    @Autowired
    JdbcClient jdbc;

    /** Test classes share one store and one Stripe: no fault or delivery trick outlives its test. */
    @AfterEach
    void calmStripe() {
        emulator().clearFaults();
        emulator().duplicateNextEvents(0);
        emulator().delayNextEvents(0, 0);
        emulator().corruptNextSignatures(0);
        emulator().releaseEvents(false);
    }

    /** The ids of every event Stripe has made so far. */
    java.util.Set<String> eventIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (String json : emulator().eventsJson()) {
            int start = json.indexOf("\"id\":\"") + 6;
            ids.add(json.substring(start, json.indexOf('"', start)));
        }
        return ids;
    }

    /** Waits until every event Stripe made since {@code before} was delivered to the store and answered. */
    void awaitDeliveriesSince(java.util.Set<String> before) {
        eventually("every webhook since is delivered", () -> {
            java.util.Set<String> answered = new java.util.HashSet<>();
            emulator().deliveryAttempts().stream().filter(org.bookstore.emulator.DeliveryAttempt::succeeded)
                    .forEach(attempt -> answered.add(attempt.eventId()));
            java.util.Set<String> made = eventIds();
            made.removeAll(before);
            return answered.containsAll(made);
        });
    }

    StripeEmulator emulator() {
        return stripe.emulator().orElseThrow();
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    HttpVisitor admin() {
        HttpVisitor admin = new HttpVisitor(baseUrl());
        admin.logIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        return admin;
    }

    /** A buyer with an order of 2 x "Working in Public" ($56.00), paid with {@code card}. */
    record Paid(HttpVisitor buyer, long orderId) {
    }

    Paid paidOrder(String card) {
        return paidOrder(card, "working-in-public", 2);
    }

    Paid paidOrder(String card, String slug, int copies) {
        HttpVisitor buyer = new HttpVisitor(baseUrl());
        String email = "buyer-" + UUID.randomUUID() + "@example.com";
        buyer.register("Refund Buyer", email, "correct horse battery");
        // Test classes share one store: keep enough copies on the shelf for this purchase.
        jdbc.sql("UPDATE books SET stock = stock + 10 WHERE slug = ? AND stock < ?").params(slug, copies + 5).update();
        buyer.get("/books/" + slug);
        buyer.post("/cart/add", "bookId", Long.toString(bookId(slug)), "quantity", Integer.toString(copies));
        buyer.get("/checkout");
        HttpResponse<String> hostedPage = buyer.post("/checkout/pay");
        String path = hostedPage.uri().getPath();
        assertThat(path).contains("/cs_");
        String session = path.substring(path.lastIndexOf('/') + 1);
        long order = jdbc.sql("SELECT order_id FROM checkout_attempts WHERE checkout_session_id = ?").param(session).query(Long.class).single();
        HttpResponse<String> confirmation = buyer.submitTo(hostedPage.uri().toString(), true, "email", email, "card_number", card,
                "expiry", "12 / 34", "cvc", "123", "name", "Refund Buyer");
        assertThat(confirmation.body()).contains("Your payment was received");
        assertThat(status(order)).isEqualTo("paid");
        return new Paid(buyer, order);
    }

    /** Posts the order page's refund form, as the shop owner filling it in; fields are name, value pairs. */
    HttpResponse<String> refund(HttpVisitor admin, long order, String... fields) {
        admin.get("/admin/orders/" + order);
        return admin.post("/admin/orders/" + order + "/refunds", withToken(admin.lastPage(), fields));
    }

    static String[] withToken(String page, String... fields) {
        Matcher token = TOKEN.matcher(page);
        String[] all = new String[fields.length + 2];
        System.arraycopy(fields, 0, all, 0, fields.length);
        all[fields.length] = "token";
        all[fields.length + 1] = token.find() ? token.group(1) : "";
        return all;
    }

    String status(long orderId) {
        return jdbc.sql("SELECT status FROM orders WHERE id = ?").param(orderId).query(String.class).single();
    }

    long bookId(String slug) {
        return jdbc.sql("SELECT id FROM books WHERE slug = ?").param(slug).query(Long.class).single();
    }

    int stock(String slug) {
        return jdbc.sql("SELECT stock FROM books WHERE slug = ?").param(slug).query(Integer.class).single();
    }

    String refundStatus(long orderId) {
        return jdbc.sql("SELECT status FROM refunds WHERE order_id = ? ORDER BY id DESC").param(orderId).query(String.class).list()
                .stream().findFirst().orElse(null);
    }

    /** Refunds Stripe holds for the order's payment, whoever made them. */
    long refundsAtStripe(long orderId) {
        String intent = intentOf(orderId);
        return emulator().objectsJson("refund").stream().filter(json -> json.contains("\"payment_intent\":\"" + intent + "\"")).count();
    }

    /** The PaymentIntent that paid the order. */
    String intentOf(long orderId) {
        return jdbc.sql("SELECT payment_intent_id FROM checkout_attempts WHERE order_id = ? AND status = 'paid'").param(orderId)
                .query(String.class).single();
    }

    int transitionsTo(long orderId, String status) {
        return jdbc.sql("SELECT COUNT(*) FROM order_status_changes WHERE order_id = ? AND to_status = ? AND from_status <> to_status")
                .params(orderId, status).query(Integer.class).single();
    }
}
