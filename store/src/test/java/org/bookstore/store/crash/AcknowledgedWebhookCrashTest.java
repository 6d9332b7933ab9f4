package org.bookstore.store.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bookstore.emulator.DeliveryAttempt;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A webhook the store answered 2xx is one Stripe will never send again: the store killed ({@code kill -9}) after
 * answering and before acting on it still acts on it when it comes back, with nothing else to help it (no
 * reconciliation, no re-check, the buyer never returning to the shop).
 */
class AcknowledgedWebhookCrashTest {

    @Test
    void eventsAnsweredJustBeforeAKillAreActedOnAfterRestartWithoutStripeSendingThemAgain(@TempDir Path data) {
        try (CrashRig rig = new CrashRig(data, Map.of(
                "bookstore.payments.reconcile-first-after", "PT2H", "bookstore.payments.reconcile-every", "PT2H",
                "bookstore.admin.recheck-first-after", "PT2H", "bookstore.admin.recheck-every", "PT2H"))) {
            HttpVisitor buyer = rig.buyerWithCart(2);
            buyer.get("/checkout");
            HttpResponse<String> redirect = buyer.postWithoutFollowing("/checkout/pay");
            String location = redirect.headers().firstValue("Location").orElseThrow();
            String session = location.substring(location.lastIndexOf('/') + 1);
            rig.stripe.holdEvents();
            rig.payOnHostedPage(buyer, session, CrashRig.VISA);

            // Every question the store asks Stripe now hangs: the events are answered, then wait on Stripe.
            rig.stripe.stallNext("GET", "/v1/", 1_000, 60_000);
            rig.stripe.releaseEvents(false);
            eventually("Stripe's deliveries are all answered 2xx",
                    () -> rig.stripe.heldEventCount() == 0 && rig.stripe.deliveryAttempts().stream().allMatch(DeliveryAttempt::succeeded)
                            && rig.stripe.deliveryAttempts().stream().map(DeliveryAttempt::eventType).toList()
                                    .containsAll(List.of("payment_intent.succeeded", "checkout.session.completed")));
            List<DeliveryAttempt> answered = rig.stripe.deliveryAttempts();
            rig.kill();
            rig.stripe.clearFaults();
            rig.stripe.releaseStalls();

            rig.start();
            HttpVisitor back = rig.again(buyer);
            eventually("the kept events made the order paid", () -> back.get("/orders").body().contains("Paid"));
            assertThat(rig.stripe.deliveryAttempts()).as("Stripe sent nothing again").hasSameSizeAs(answered);
            rig.kill();

            JdbcClient db = rig.database();
            long order = db.sql("SELECT order_id FROM checkout_attempts WHERE checkout_session_id = ?").param(session).query(Long.class).single();
            assertThat(db.sql("SELECT status FROM orders WHERE id = ?").param(order).query(String.class).single()).isEqualTo("paid");
            assertThat(db.sql("SELECT cause FROM order_status_changes WHERE order_id = ? AND to_status = 'paid' AND from_status <> 'paid'")
                    .param(order).query(String.class).list()).as("paid once, by a kept event").singleElement().asString().startsWith("evt_");
            assertThat(db.sql("SELECT charge_id FROM checkout_attempts WHERE order_id = ? AND status = 'paid'").param(order)
                    .query(String.class).single()).startsWith("ch_");
            assertThat(db.sql("SELECT COUNT(*) FROM stripe_inbox").query(Integer.class).single()).as("nothing left waiting").isZero();
        }
    }
}
