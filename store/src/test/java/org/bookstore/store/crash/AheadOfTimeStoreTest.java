package org.bookstore.store.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bookstore.store.support.HttpVisitor;
import org.bookstore.store.support.SmtpServer;
import org.bookstore.store.support.SmtpServer.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store started from its ahead-of-time processed form ({@code -Dspring.aot.enabled=true}, the fast start the
 * README and the benchmark use), where the bean definitions were decided when the store was built. Everything set
 * when it starts still counts: the Stripe it talks to, its database, and an SMTP server configured only now, which
 * the receipt leaves through.
 */
class AheadOfTimeStoreTest {

    static final List<String> AHEAD_OF_TIME = List.of("-Dspring.aot.enabled=true");

    @TempDir
    Path data;
    private final SmtpServer smtp = SmtpServer.onFreePort();
    private CrashRig rig;

    /** Settings for the store's database: none here (its embedded one). */
    protected Map<String, String> database() {
        return Map.of();
    }

    @AfterEach
    void stop() {
        if (rig != null) {
            rig.close();
        }
        smtp.close();
    }

    @Test
    void startedAheadOfTimeTheStoreSellsABookAndMailsTheReceiptThroughTheSmtpServerSetAtStart() {
        smtp.up();
        Map<String, String> settings = new HashMap<>(smtp.settings());
        settings.put("bookstore.notifications.send-every", "PT1S");
        settings.putAll(database());
        rig = new CrashRig(data, settings, AHEAD_OF_TIME);
        assertThat(rig.log()).as("the store started from its processed form").contains("Starting AOT-processed BookstoreApplication");

        HttpVisitor visitor = new HttpVisitor(rig.baseUrl());
        assertThat(visitor.get("/").body()).contains("Refactoring", "Working in Public");
        String email = "ahead-" + UUID.randomUUID() + "@example.com";
        HttpVisitor buyer = new HttpVisitor(rig.baseUrl());
        buyer.register("Early Reader", email, CrashRig.PASSWORD);
        rig.addToCart(buyer, "refactoring", 2);
        assertThat(buyer.get("/cart").body()).contains("Refactoring", "$94.00", "Early Reader");
        buyer.get("/checkout");
        HttpResponse<String> redirect = buyer.postWithoutFollowing("/checkout/pay");
        String location = redirect.headers().firstValue("Location").orElseThrow();
        String sessionId = location.substring(location.lastIndexOf('/') + 1);
        rig.payOnHostedPage(buyer, sessionId, CrashRig.VISA);

        HttpResponse<String> confirmation = buyer.get("/checkout/success?session_id=" + sessionId);
        assertThat(confirmation.body()).contains("Your payment was received", "$94.00");
        long order = CrashRig.orderId(confirmation.body());
        eventually("the order shows its charge", () -> buyer.get("/orders/" + order).body().contains("data-testid=\"charge-id\">ch_"));
        Matcher charge = Pattern.compile("data-testid=\"charge-id\">(ch_[A-Za-z0-9]+)<").matcher(buyer.get("/orders/" + order).body());
        assertThat(charge.find()).isTrue();
        assertThat(rig.succeededAtStripe()).containsValue(9400L).hasSize(1);

        eventually("the receipt arrived", () -> !receipts(email).isEmpty());
        List<Received> receipts = receipts(email);
        assertThat(receipts).hasSize(1);
        assertThat(receipts.get(0).text()).contains("Total: $94.00", "Order #" + order);
    }

    private List<Received> receipts(String email) {
        return smtp.to(email).stream().filter(mail -> mail.subject().contains("receipt")).toList();
    }
}
