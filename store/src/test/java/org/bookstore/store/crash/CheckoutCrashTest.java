package org.bookstore.store.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The store killed ({@code kill -9}) at the worst moments of a hosted checkout, with Stripe carrying on without it:
 * whatever Stripe took is found when the store comes back, as one paid order for exactly what was paid for, and a
 * checkout Stripe may have opened is ended at Stripe before the cart can change.
 */
class CheckoutCrashTest {

    @TempDir
    Path data;
    private CrashRig rig;

    @BeforeEach
    void storeAndStripe() {
        rig = new CrashRig(data);
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void killedRightAfterSendingTheBuyerToStripeThePaymentStillEndsAsThePaidOrder() {
        HttpVisitor buyer = rig.buyerWithCart(2);
        buyer.get("/checkout");
        HttpResponse<String> redirect = buyer.postWithoutFollowing("/checkout/pay");
        assertThat(redirect.statusCode()).isEqualTo(303);
        String sessionId = sessionOf(redirect);

        rig.kill();
        rig.payOnHostedPage(buyer, sessionId, CrashRig.VISA);
        rig.start();
        HttpVisitor back = rig.again(buyer);

        HttpResponse<String> confirmation = back.get("/checkout/success?session_id=" + sessionId);
        assertThat(confirmation.body()).contains("Your payment was received", "$94.00");
        long order = CrashRig.orderId(confirmation.body());
        assertThat(back.get("/cart").body()).as("the paid books are no longer an editable cart").contains("Your cart is empty");
        rig.kill();
        assertPaidOnce(order, 9400);
    }

    @Test
    void killedWhileStripeWasMakingTheSessionTheSessionIsFoundAndItsPaymentMakesThePaidOrder() {
        HttpVisitor buyer = rig.buyerWithCart(2);
        String sessionId = killWhileStripeMakesTheSession(buyer);
        rig.payOnHostedPage(buyer, sessionId, CrashRig.VISA);
        rig.start();
        HttpVisitor back = rig.again(buyer);

        eventually("the webhooks or the reconciliation made the order paid",
                () -> back.get("/orders").body().contains("Paid"));
        assertThat(back.get("/checkout/success?session_id=" + sessionId).body()).contains("Your payment was received", "$94.00");
        long order = CrashRig.orderId(back.lastPage());
        rig.kill();
        assertPaidOnce(order, 9400);
    }

    @Test
    void aCheckoutStripeMayHaveOpenedIsEndedAtStripeBeforeTheCartCanChangeAndTheNewTotalIsWhatIsPaid() {
        HttpVisitor buyer = rig.buyerWithCart(2);
        String orphan = killWhileStripeMakesTheSession(buyer);
        rig.start();
        HttpVisitor back = rig.again(buyer);

        back.get("/cart");
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("action=\"/cart/lines/(\\d+)\"").matcher(back.lastPage());
        assertThat(line.find()).isTrue();
        HttpResponse<String> changed = back.post("/cart/lines/" + line.group(1), "quantity", "1");

        assertThat(changed.body()).contains("Quantity updated.", "$47.00");
        assertThat(rig.stripe.objectsJson("checkout.session")).filteredOn(json -> json.contains(orphan))
                .allMatch(json -> json.contains("\"status\":\"expired\""));
        HttpResponse<String> paidAfterExpiry = rig.payOnHostedPage(buyer, orphan, CrashRig.VISA);
        assertThat(paidAfterExpiry.body()).doesNotContain("Payment successful");

        back.get("/checkout");
        HttpResponse<String> redirect = back.postWithoutFollowing("/checkout/pay");
        String sessionId = sessionOf(redirect);
        assertThat(sessionId).isNotEqualTo(orphan);
        rig.payOnHostedPage(buyer, sessionId, CrashRig.VISA);
        HttpResponse<String> confirmation = back.get("/checkout/success?session_id=" + sessionId);
        assertThat(confirmation.body()).contains("Your payment was received", "$47.00");
        long order = CrashRig.orderId(confirmation.body());
        rig.kill();
        assertPaidOnce(order, 4700);
        JdbcClient db = rig.database();
        assertThat(db.sql("SELECT quantity FROM order_lines WHERE order_id = ?").param(order).query(Integer.class).list()).containsExactly(1);
    }

    /** Presses Pay and kills the store once Stripe has made the session, before its answer is back. Returns the session. */
    private String killWhileStripeMakesTheSession(HttpVisitor buyer) {
        buyer.get("/checkout");
        String page = buyer.lastPage();
        rig.stripe.hangNext("POST", "/v1/checkout/sessions$", 1, 60_000);
        CompletableFuture<HttpResponse<String>> pay = CompletableFuture.supplyAsync(() -> buyer.postFrom(page, "/checkout/pay"));
        eventually("Stripe made the session", () -> rig.stripe.objectsJson("checkout.session").size() == 1);
        String sessionId = CrashRig.field(rig.stripe.objectsJson("checkout.session").get(0), "id");
        rig.kill();
        pay.handle((response, failure) -> null).join();
        rig.stripe.clearFaults();
        return sessionId;
    }

    /** The order is paid once, for exactly what Stripe received, and Stripe took nothing else. */
    private void assertPaidOnce(long order, long amount) {
        JdbcClient db = rig.database();
        assertThat(db.sql("SELECT status FROM orders WHERE id = ?").param(order).query(String.class).single()).isEqualTo("paid");
        List<String> paidIntents = db.sql("SELECT payment_intent_id FROM checkout_attempts WHERE order_id = ? AND status = 'paid'")
                .param(order).query(String.class).list();
        assertThat(paidIntents).hasSize(1);
        assertThat(rig.succeededAtStripe()).containsExactlyEntriesOf(java.util.Map.of(paidIntents.get(0), amount));
        assertThat(db.sql("SELECT COUNT(*) FROM order_status_changes WHERE order_id = ? AND to_status = 'paid' AND from_status <> 'paid'")
                .param(order).query(Integer.class).single()).isEqualTo(1);
        assertThat(db.sql("SELECT SUM(l.quantity * l.unit_price_minor) FROM order_lines l WHERE l.order_id = ?").param(order)
                .query(Long.class).single()).isEqualTo(amount);
    }

    private static String sessionOf(HttpResponse<String> redirect) {
        String location = redirect.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
