package org.bookstore.store.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.util.ArrayList;
import java.util.List;
import org.bookstore.store.support.SmtpServer;
import org.bookstore.store.support.SmtpServer.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The SMTP server is down while 20 orders are paid: every buyer pays without seeing an error, every receipt is tried,
 * refused, and shown waiting on the Sent mail page; once the server is back, all 20 arrive, each once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bookstore.notifications.send-every=PT0.5S",
        "bookstore.notifications.retry-first-after=PT0.5S",
        "bookstore.notifications.retry-at-most-every=PT2S"})
@ActiveProfiles("test")
class SmtpOutageTest extends ShopScenarios {

    private static final SmtpServer SMTP = SmtpServer.start();

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        SMTP.settings().forEach((name, value) -> registry.add(name, () -> value));
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.close();
    }

    @Test
    void receiptsOfOrdersPaidWhileTheSmtpServerIsDownAllArriveOnceItIsBack() {
        SMTP.down();
        List<Shopper> buyers = new ArrayList<>();
        List<Long> orders = new ArrayList<>();
        for (int buyer = 0; buyer < 4; buyer++) {
            Shopper shopper = registeredBuyer();
            buyers.add(shopper);
            for (int order = 0; order < 5; order++) {
                addToCart(shopper.browser(), "working-in-public", 1);
                orders.add(pay(shopper));
            }
        }
        eventually("every receipt was tried and refused", () -> orders.stream().allMatch(order ->
                jdbc.sql("SELECT COUNT(*) FROM outgoing_mail WHERE kind = 'receipt' AND order_id = ? AND status = 'pending' AND attempts > 0")
                        .param(order).query(Integer.class).single() == 1));
        assertThat(buyers.get(0).browser().get("/sent-mail").body()).as("waiting mail is visible")
                .contains("Not sent yet, tried", "Your receipt for order #" + orders.get(0));
        assertThat(SMTP.to(buyers.get(0).email())).isEmpty();

        SMTP.up();

        eventually("every receipt was sent", () -> orders.stream().allMatch(order -> mailStatus("receipt", order).equals("sent")));
        for (int buyer = 0; buyer < 4; buyer++) {
            List<Received> receipts = SMTP.to(buyers.get(buyer).email()).stream()
                    .filter(mail -> mail.subject().startsWith("Your receipt")).toList();
            List<String> expected = orders.subList(buyer * 5, buyer * 5 + 5).stream()
                    .map(order -> "Your receipt for order #" + order + " ($28.00)").toList();
            assertThat(receipts).extracting(Received::subject).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
