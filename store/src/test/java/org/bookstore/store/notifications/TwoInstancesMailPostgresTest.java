package org.bookstore.store.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bookstore.emulator.StripeEmulator;
import org.bookstore.store.BookstoreApplication;
import org.bookstore.store.support.HttpVisitor;
import org.bookstore.store.support.PostgresDatabase;
import org.bookstore.store.support.SmtpServer;
import org.bookstore.store.support.SmtpServer.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two store instances on one PostgreSQL database sending to one SMTP server, both looking for due mail every fifth of
 * a second and both resubmitting every unfinished event publication every half second, so each event is handled by
 * both and each mail is wanted by both: still every buyer gets each receipt once.
 */
@Tag("postgres")
@ExtendWith(PostgresDatabase.class)
class TwoInstancesMailPostgresTest {

    private static final String WEBHOOK_SECRET = "whsec_two_instances_mail";

    private String schema;
    private StripeEmulator stripe;
    private SmtpServer smtp;
    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    @BeforeEach
    void twoInstancesOneStripeOneSmtpServer() {
        schema = "bookstore_mail_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        PostgresDatabase.execute("CREATE SCHEMA " + schema);
        stripe = StripeEmulator.builder().port(0).start();
        smtp = SmtpServer.start();
        first = start();
        second = start();
        stripe.addWebhookEndpointWithSecret(baseUrl(first) + "/stripe/webhook", WEBHOOK_SECRET, "*");
    }

    @AfterEach
    void stopAll() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        stripe.stop();
        smtp.close();
        PostgresDatabase.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void eachReceiptAndWelcomeIsSentOnceThoughBothInstancesHandleEveryEvent() {
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        List<String> buyers = new ArrayList<>();
        List<Long> orders = new ArrayList<>();
        for (int buyer = 0; buyer < 3; buyer++) {
            String email = "two-" + UUID.randomUUID() + "@example.com";
            buyers.add(email);
            HttpVisitor onFirst = new HttpVisitor(baseUrl(buyer % 2 == 0 ? first : second));
            HttpVisitor onSecond = onFirst.on(baseUrl(buyer % 2 == 0 ? second : first));
            onFirst.register("Two Instances", email, "correct horse battery");
            for (int order = 0; order < 2; order++) {
                onSecond.get("/books/working-in-public");
                onSecond.post("/cart/add", "bookId", "3", "quantity", "1");
                onFirst.get("/checkout");
                HttpResponse<String> hostedPage = onFirst.post("/checkout/pay");
                String sessionId = hostedPage.uri().getPath().substring(hostedPage.uri().getPath().lastIndexOf('/') + 1);
                onFirst.submitTo(hostedPage.uri().toString(), false, "email", email, "card_number", "4242 4242 4242 4242",
                        "expiry", "12 / 34", "cvc", "123", "name", "Two Instances");
                HttpResponse<String> confirmation = onSecond.get("/checkout/success?session_id=" + sessionId);
                assertThat(confirmation.body()).contains("Your payment was received");
                orders.add(Long.parseLong(confirmation.uri().getPath().replace("/orders/", "")));
            }
        }

        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (jdbc.sql("SELECT COUNT(*) FROM outgoing_mail WHERE status = 'sent' AND kind IN ('receipt', 'welcome')")
                .query(Integer.class).single() < orders.size() + buyers.size()) {
            assertThat(Instant.now()).as("every receipt and welcome was sent").isBefore(deadline);
            pause();
        }
        for (int buyer = 0; buyer < buyers.size(); buyer++) {
            List<Received> mails = smtp.to(buyers.get(buyer));
            List<String> expected = List.of("Welcome to Bookstore",
                    "Your receipt for order #" + orders.get(buyer * 2) + " ($28.00)",
                    "Your receipt for order #" + orders.get(buyer * 2 + 1) + " ($28.00)");
            assertThat(mails).extracting(Received::subject).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outgoing_mail").query(Integer.class).single()).isEqualTo(orders.size() + buyers.size());
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(BookstoreApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + PostgresDatabase.urlForSchema(schema),
                "--spring.datasource.username=" + PostgresDatabase.USER,
                "--spring.datasource.password=" + PostgresDatabase.PASSWORD,
                // Two instances in one test JVM, beside the other suites' open contexts: few connections each.
                "--spring.datasource.hikari.maximum-pool-size=5",
                "--bookstore.stripe.secret-key=sk_test_two_instances",
                "--bookstore.stripe.publishable-key=pk_test_two_instances",
                "--bookstore.stripe.webhook-secret=" + WEBHOOK_SECRET,
                "--bookstore.stripe.api-base=" + stripe.baseUrl(),
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + smtp.port(),
                "--bookstore.notifications.send-every=PT0.2S",
                "--bookstore.notifications.resubmit-every=PT0.5S",
                "--bookstore.notifications.resubmit-older-than=PT0S",
                "--logging.level.root=WARN");
    }

    private static String baseUrl(ConfigurableApplicationContext store) {
        return "http://localhost:" + store.getEnvironment().getProperty("local.server.port");
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
