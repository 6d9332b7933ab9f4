package org.bookstore.store.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.crash.CrashRig.eventually;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bookstore.store.support.HttpVisitor;
import org.bookstore.store.support.SmtpServer;
import org.bookstore.store.support.SmtpServer.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The store killed ({@code kill -9}) after a payment is committed and before its receipt is sent: the event was
 * stored with the payment, so the restarted store hands it to the receipt's listener again, and the buyer gets
 * exactly one receipt.
 */
class ReceiptCrashTest {

    @TempDir
    Path data;
    private SmtpServer smtp;
    private CrashRig rig;

    @BeforeEach
    void storeStripeAndSmtp() {
        smtp = SmtpServer.start();
        Map<String, String> settings = new HashMap<>(smtp.settings());
        settings.put("bookstore.notifications.send-every", "PT1S");
        rig = new CrashRig(data, settings);
    }

    @AfterEach
    void stop() {
        rig.close();
        smtp.close();
    }

    @Test
    void killedWhileTheReceiptWasBeingWrittenExactlyOneReceiptArrivesAfterRestart() {
        String email = "receipt-crash-" + UUID.randomUUID() + "@example.com";
        HttpVisitor buyer = new HttpVisitor(rig.baseUrl());
        buyer.register("Crash Reader", email, CrashRig.PASSWORD);
        rig.addToCart(buyer, "refactoring", 2);
        buyer.get("/checkout");
        HttpResponse<String> redirect = buyer.postWithoutFollowing("/checkout/pay");
        String location = redirect.headers().firstValue("Location").orElseThrow();
        String sessionId = location.substring(location.lastIndexOf('/') + 1);
        // The receipt asks Stripe for its receipt link: Stripe holds that request, so the receipt is still being
        // written when the store dies.
        rig.stripe.stallNext("GET", "/v1/charges/", 20, 600_000);
        rig.payOnHostedPage(buyer, sessionId, CrashRig.VISA);
        HttpResponse<String> confirmation = buyer.get("/checkout/success?session_id=" + sessionId);
        assertThat(confirmation.body()).contains("Your payment was received", "$94.00");
        long order = CrashRig.orderId(confirmation.body());

        rig.kill();
        assertThat(receipts(email)).as("nothing was sent before the kill").isEmpty();
        JdbcClient stopped = rig.database();
        assertThat(stopped.sql("SELECT COUNT(*) FROM event_publication WHERE listener_id = 'notifications.receipt'")
                .query(Integer.class).single()).as("the receipt's event is waiting in the outbox").isEqualTo(1);
        rig.stripe.clearFaults();
        rig.start();

        eventually("the receipt arrived", () -> !receipts(email).isEmpty());
        HttpVisitor local = new HttpVisitor(rig.baseUrl());
        eventually("the store recorded it as sent", () -> local.get("/sent-mail").body()
                .matches("(?s).*Your receipt for order #" + order + " \\(\\$94\\.00\\).*?Sent \\d.*"));
        rig.kill();

        List<Received> receipts = receipts(email);
        assertThat(receipts).hasSize(1);
        assertThat(receipts.get(0).text()).contains("Total: $94.00", "Order #" + order, "Stripe's receipt for your card payment");
        JdbcClient after = rig.database();
        assertThat(after.sql("SELECT status FROM outgoing_mail WHERE kind = 'receipt' AND order_id = ?").param(order)
                .query(String.class).list()).containsExactly("sent");
        assertThat(after.sql("SELECT COUNT(*) FROM event_publication").query(Integer.class).single()).isZero();
    }

    private List<Received> receipts(String email) {
        return smtp.to(email).stream().filter(mail -> mail.subject().startsWith("Your receipt")).toList();
    }
}
