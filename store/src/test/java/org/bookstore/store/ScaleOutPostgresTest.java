package org.bookstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.bookstore.emulator.StripeEmulator;
import org.bookstore.store.support.HttpVisitor;
import org.bookstore.store.support.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two store instances on one PostgreSQL database, sharing one standalone Stripe emulator whose webhooks go to
 * only one of them: a buyer moving between instances on every request is served as by one store, and the paid
 * order is paid once.
 */
@Tag("postgres")
@ExtendWith(PostgresDatabase.class)
class ScaleOutPostgresTest {

    private static final String WEBHOOK_SECRET = "whsec_scale_out_test";

    private String schema;
    private StripeEmulator stripe;
    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    @BeforeEach
    void twoInstancesAndOneStripe() {
        schema = "bookstore_scale_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        PostgresDatabase.execute("CREATE SCHEMA " + schema);
        stripe = StripeEmulator.builder().port(0).start();
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
        PostgresDatabase.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void aBuyerServedByBothInstancesPaysOnceAndBothSeeTheOrderPaid() {
        HttpVisitor onFirst = new HttpVisitor(baseUrl(first));
        HttpVisitor onSecond = onFirst.on(baseUrl(second));
        String email = "scale-" + UUID.randomUUID() + "@example.com";

        onFirst.register("Scale Out", email, "correct horse battery");
        onSecond.get("/books/working-in-public");
        onSecond.post("/cart/add", "bookId", "3", "quantity", "2");
        assertThat(onFirst.get("/cart").body()).as("the cart added on one instance is on the other").contains("$56.00");

        onFirst.get("/checkout");
        HttpResponse<String> hostedPage = onFirst.post("/checkout/pay");
        assertThat(hostedPage.uri().toString()).startsWith(stripe.baseUrl());
        String sessionId = hostedPage.uri().getPath().substring(hostedPage.uri().getPath().lastIndexOf('/') + 1);
        onFirst.submitTo(hostedPage.uri().toString(), false, "email", email, "card_number", "4242 4242 4242 4242",
                "expiry", "12 / 34", "cvc", "123", "name", "Scale Out");

        HttpResponse<String> confirmation = onSecond.get("/checkout/success?session_id=" + sessionId);

        assertThat(confirmation.body()).contains("Your payment was received", "$56.00");
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        long order = jdbc.sql("SELECT order_id FROM checkout_attempts WHERE checkout_session_id = ?").param(sessionId).query(Long.class).single();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (jdbc.sql("SELECT COUNT(*) FROM stripe_events WHERE event_type = 'payment_intent.succeeded'").query(Integer.class).single() == 0) {
            assertThat(Instant.now()).as("the webhook reached the first instance").isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM order_status_changes WHERE order_id = ? AND to_status = 'paid'")
                .param(order).query(Integer.class).single()).isEqualTo(1);
        assertThat(onFirst.get("/orders/" + order).body()).contains("Paid", jdbc.sql("SELECT charge_id FROM checkout_attempts WHERE order_id = ? AND status = 'paid'")
                .param(order).query(String.class).single());
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(BookstoreApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + PostgresDatabase.urlForSchema(schema),
                "--spring.datasource.username=" + PostgresDatabase.USER,
                "--spring.datasource.password=" + PostgresDatabase.PASSWORD,
                "--bookstore.stripe.secret-key=sk_test_scale_out",
                "--bookstore.stripe.publishable-key=pk_test_scale_out",
                "--bookstore.stripe.webhook-secret=" + WEBHOOK_SECRET,
                "--bookstore.stripe.api-base=" + stripe.baseUrl(),
                "--logging.level.root=WARN");
    }

    private static String baseUrl(ConfigurableApplicationContext store) {
        return "http://localhost:" + store.getEnvironment().getProperty("local.server.port");
    }
}
