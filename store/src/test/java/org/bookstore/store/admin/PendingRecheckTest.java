package org.bookstore.store.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An order left pending because Stripe's news never arrived: listed under "Needs attention", and paid by the
 * re-check (the button, or the scheduled one, which runs on one instance at a time under a database lock).
 */
class PendingRecheckTest extends BackOfficeScenarios {

    private static final Pattern COMPLETE = Pattern.compile("action=\"(/3ds/pi_\\w+/complete)\"><input type=\"hidden\" name=\"client_secret\" value=\"([^\"]+)\"");

    @Autowired
    PendingOrdersRecheck recheck;
    @Autowired
    LockProvider locks;

    @Test
    void anOrderPendingTooLongIsListedAndTheScheduledRecheckPaysItWithItsCauseInTheTimeline() {
        long order = pendingOrderStripeHasPaid();
        assertThat(admin().get("/admin").body()).contains("Pending for more than 15 minutes", "order #" + order);

        recheck.scheduled();

        assertThat(status(order)).isEqualTo("paid");
        assertThat(jdbc.sql("SELECT cause FROM order_status_changes WHERE order_id = ? AND to_status = 'paid' AND from_status <> 'paid'")
                .param(order).query(String.class).single()).isEqualTo(PendingOrdersRecheck.CAUSE);
        assertThat(admin().get("/admin/orders/" + order).body()).contains(PendingOrdersRecheck.CAUSE);
    }

    @Test
    void whileAnotherInstanceHoldsTheLockTheScheduledRecheckDoesNothing() {
        long order = pendingOrderStripeHasPaid();
        SimpleLock elsewhere = locks.lock(new LockConfiguration(Instant.now(), "recheck-pending-orders", Duration.ofMinutes(5), Duration.ZERO))
                .orElseThrow();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM shedlock WHERE name = 'recheck-pending-orders'").query(Integer.class).single())
                .as("the lock is a row in the database").isEqualTo(1);

        try {
            recheck.scheduled();
            assertThat(status(order)).isEqualTo("pending");
        } finally {
            elsewhere.unlock();
        }
        recheck.scheduled();
        assertThat(status(order)).isEqualTo("paid");
    }

    @Test
    void theOrderPagesRecheckButtonAppliesWhatStripeSays() {
        long order = pendingOrderStripeHasPaid();
        HttpVisitor admin = admin();
        admin.get("/admin/orders/" + order);

        HttpResponse<String> page = admin.post("/admin/orders/" + order + "/recheck");

        assertThat(page.body()).contains("Re-checked with Stripe", "to paid");
        assertThat(status(order)).isEqualTo("paid");
        assertThat(jdbc.sql("SELECT cause FROM order_status_changes WHERE order_id = ? AND to_status = 'paid' AND from_status <> 'paid'")
                .param(order).query(String.class).single()).isEqualTo("re-check with Stripe by " + ADMIN_EMAIL);
    }

    /** A buyer authenticates a payment while Stripe's webhooks are lost and never comes back; placed 20 minutes ago. */
    private long pendingOrderStripeHasPaid() {
        java.util.Set<String> earlier = eventIds();
        HttpVisitor buyer = new HttpVisitor(baseUrl());
        String email = "pending-" + UUID.randomUUID() + "@example.com";
        buyer.register("Gone Away", email, "correct horse battery");
        buyer.get("/books/working-in-public");
        buyer.post("/cart/add", "bookId", Long.toString(bookId("working-in-public")), "quantity", "1");
        buyer.get("/checkout");
        HttpResponse<String> hosted = buyer.post("/checkout/pay");
        String session = hosted.uri().getPath().substring(hosted.uri().getPath().lastIndexOf('/') + 1);
        long order = jdbc.sql("SELECT order_id FROM checkout_attempts WHERE checkout_session_id = ?").param(session).query(Long.class).single();
        HttpResponse<String> challenge = buyer.submitTo(hosted.uri().toString(), true, "email", email, "card_number", "4000 0025 0000 3155",
                "expiry", "12 / 34", "cvc", "123", "name", "Gone Away");
        eventually("the payment is under way", () -> "pending".equals(status(order)));
        // A late event would make the store read the payment again: only news held from now on is lost.
        awaitDeliveriesSince(earlier);
        emulator().holdEvents();
        Matcher complete = COMPLETE.matcher(challenge.body());
        assertThat(complete.find()).as("the 3-D Secure page").isTrue();
        buyer.submitTo(emulator().baseUrl() + complete.group(1), false, "client_secret", complete.group(2));
        eventually("Stripe took the payment", () -> emulator().objectsJson("payment_intent").stream()
                .anyMatch(json -> json.contains("Bookstore order #" + order + "\"") && json.contains("\"status\":\"succeeded\"")));
        jdbc.sql("UPDATE orders SET placed_at = ? WHERE id = ?").params(Timestamp.from(Instant.now().minus(Duration.ofMinutes(20))), order).update();
        assertThat(status(order)).isEqualTo("pending");
        return order;
    }
}
