package org.bookstore.store.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

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
 * The store killed ({@code kill -9}) after a payment is committed and before its receipt is sent. The event was
 * stored with the payment, so the restarted store hands it to the receipt's listener again and the buyer gets exactly
 * one receipt; killed after the SMTP server took the receipt but before the store heard so, the receipt is sent
 * again with the same Message-ID.
 */
class ReceiptCrashTest {

    @TempDir
    Path data;
    private SmtpServer smtp;
    private CrashRig rig;

    @BeforeEach
    void smtpPort() {
        smtp = SmtpServer.onFreePort();
    }

    @AfterEach
    void stop() {
        if (rig != null) {
            rig.close();
        }
        smtp.close();
    }

    private void startStore(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(smtp.settings());
        settings.put("bookstore.notifications.send-every", "PT1S");
        settings.putAll(extra);
        rig = new CrashRig(data, settings);
    }

    @Test
    void killedWhileTheReceiptWasBeingWrittenExactlyOneReceiptArrivesAfterRestart() {
        smtp.up();
        startStore(Map.of());
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
                .matches("(?s).*Your receipt for order #" + order + " \\(\\$94\\.00\\)((?!</tr>).)*Sent \\d.*"));
        rig.kill();

        List<Received> receipts = receipts(email);
        assertThat(receipts).hasSize(1);
        assertThat(receipts.get(0).text()).contains("Total: $94.00", "Order #" + order, "Stripe's receipt for your card payment");
        JdbcClient after = rig.database();
        assertThat(after.sql("SELECT status FROM outgoing_mail WHERE kind = 'receipt' AND order_id = ?").param(order)
                .query(String.class).list()).containsExactly("sent");
        assertThat(after.sql("SELECT COUNT(*) FROM event_publication").query(Integer.class).single()).isZero();
    }

    @Test
    void killedAfterTheSmtpServerTookTheReceiptTheResendAfterRestartHasTheSameMessageId() throws Exception {
        SwallowingSmtp swallowing = new SwallowingSmtp(smtp.port(), "Your receipt");
        startStore(Map.of("bookstore.notifications.sending-lease", "PT3S"));
        String email = "receipt-taken-" + UUID.randomUUID() + "@example.com";
        HttpVisitor buyer = new HttpVisitor(rig.baseUrl());
        buyer.register("Crash Reader", email, CrashRig.PASSWORD);
        rig.addToCart(buyer, "refactoring", 1);
        buyer.get("/checkout");
        String location = buyer.postWithoutFollowing("/checkout/pay").headers().firstValue("Location").orElseThrow();
        String sessionId = location.substring(location.lastIndexOf('/') + 1);
        rig.payOnHostedPage(buyer, sessionId, CrashRig.VISA);
        long order = CrashRig.orderId(buyer.get("/checkout/success?session_id=" + sessionId).body());

        String taken = swallowing.awaitSwallowed();
        rig.kill();
        swallowing.close();
        assertThat(rig.database().sql("SELECT status FROM outgoing_mail WHERE kind = 'receipt' AND order_id = ?").param(order)
                .query(String.class).single()).as("the store never heard that the server had it").isEqualTo("sending");
        smtp.up();
        rig.start();

        eventually("the receipt was sent again", () -> !receipts(email).isEmpty());
        HttpVisitor local = new HttpVisitor(rig.baseUrl());
        eventually("the store recorded it as sent", () -> local.get("/sent-mail").body()
                .matches("(?s).*Your receipt for order #" + order + " \\(\\$47\\.00\\)((?!</tr>).)*Sent \\d.*"));
        rig.kill();

        List<Received> resent = receipts(email);
        assertThat(resent).hasSize(1);
        assertThat(resent.get(0).messageId()).isEqualTo(SwallowingSmtp.messageId(taken));
        assertThat(taken).contains("Subject: Your receipt for order #" + order);
    }

    private List<Received> receipts(String email) {
        return smtp.to(email).stream().filter(mail -> mail.subject().startsWith("Your receipt")).toList();
    }
}
