package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A shop that ran the earlier version keeps its payments: orders mid-checkout, pending and paid become checkout
 * attempts with the Stripe ids the store had recorded, so their late webhooks still find them.
 */
class PaymentMigrationTest {

    @Test
    void paymentsRecordedOnOrdersBecomeCheckoutAttempts() {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(database).locations("classpath:db/migration", "classpath:db/demo").target("6").load().migrate();
        JdbcClient jdbc = JdbcClient.create(database);
        jdbc.sql("INSERT INTO accounts (id, email, name, password_hash) VALUES (900, 'old@example.com', 'Old', '{noop}x')").update();
        jdbc.sql("INSERT INTO orders (id, account_id, status, currency, cart_key, total_minor, checkout_attempt, checkout_session_id, "
                + "checkout_url, stock_reserved) VALUES (901, 900, 'cart', 'USD', 'account:900', 4700, 1, 'cs_old_open', 'http://x', TRUE)").update();
        jdbc.sql("INSERT INTO orders (id, account_id, status, currency, total_minor, checkout_attempt, payment_intent_id, charge_id, paid_at) "
                + "VALUES (902, 900, 'paid', 'USD', 9400, 1, 'pi_old_paid', 'ch_old', CURRENT_TIMESTAMP)").update();
        jdbc.sql("INSERT INTO order_lines (order_id, book_id, title, unit_price_minor, quantity) VALUES (901, 1, 'Old', 4700, 1), "
                + "(902, 1, 'Old', 4700, 2)").update();

        Flyway.configure().dataSource(database).locations("classpath:db/migration", "classpath:db/demo").load().migrate();

        assertThat(jdbc.sql("SELECT status || ' ' || checkout_session_id || ' ' || amount_minor FROM checkout_attempts WHERE order_id = 901")
                .query(String.class).single()).isEqualTo("open cs_old_open 4700");
        assertThat(jdbc.sql("SELECT live_attempt_id = (SELECT id FROM checkout_attempts WHERE order_id = 901) FROM orders WHERE id = 901")
                .query(Boolean.class).single()).as("the open checkout still locks its cart").isTrue();
        assertThat(jdbc.sql("SELECT status || ' ' || payment_intent_id || ' ' || charge_id || ' ' || amount_received_minor "
                + "FROM checkout_attempts WHERE order_id = 902").query(String.class).single()).isEqualTo("paid pi_old_paid ch_old 9400");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM checkout_attempt_lines l JOIN checkout_attempts a ON a.id = l.attempt_id "
                + "WHERE a.order_id = 902").query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT placed_at IS NOT NULL FROM orders WHERE id = 902").query(Boolean.class).single()).isTrue();
    }
}
