package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * An attempt's parameters are fixed once, when it is recorded: asking Stripe again under its idempotency key, a
 * second later or after a lost answer, sends exactly the same request and gets the same Checkout Session.
 */
@Import(IdempotencyTest.Clocks.class)
class IdempotencyTest extends CheckoutScenarios {

    @Autowired
    SettableClock clock;

    @AfterEach
    void calmStripe() {
        emulator().clearFaults();
    }

    @Test
    void pressingPayAgainAfterALostAnswerAndASecondLaterLandsOnTheSessionStripeMadeTheFirstTime() {
        Shopper shopper = shopperWithCart();
        Instant justBeforeASecondEnds = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusMillis(900);
        clock.set(justBeforeASecondEnds);
        // Stripe makes the session, but both tries of the store's request time out before the answer arrives.
        emulator().hangNext("POST", "/v1/checkout/sessions", 2, 10_000);

        HttpResponse<String> lost = startCheckout(shopper);
        assertThat(lost.body()).contains(PaymentsUnavailable.MESSAGE);
        long order = jdbc.sql("SELECT order_id FROM checkout_attempts ORDER BY id DESC").query(Long.class).list().get(0);
        assertThat(sessionsForOrder(order)).as("Stripe did make it").isEqualTo(1);

        clock.set(justBeforeASecondEnds.plusMillis(1_200));
        emulator().clearFaults();
        HttpResponse<String> hostedPage = startCheckout(shopper);

        assertThat(hostedPage.body()).contains("$71.00", "Card number");
        assertThat(orderOf(sessionId(hostedPage))).isEqualTo(order);
        assertThat(sessionsForOrder(order)).as("the same session, not an idempotency error or a second one").isEqualTo(1);
        assertThat(payOnHostedPage(shopper, hostedPage, VISA, true).body()).contains("Your payment was received");
    }

    @Test
    void everyIdempotencyKeyStartsWithThisDatabasesOwnId() {
        Shopper shopper = shopperWithCart();
        startCheckout(shopper);
        String install = jdbc.sql("SELECT install_id FROM installation").query(String.class).single();

        assertThat(install).matches("[0-9a-f]{16}");
        assertThat(jdbc.sql("SELECT idempotency_key FROM checkout_attempts").query(String.class).list())
                .isNotEmpty().allMatch(key -> key.startsWith(install + "-checkout-"));
    }

    /** The store's clock, moved by the test. */
    static final class SettableClock extends Clock {
        private volatile Instant now = Instant.now();

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        SettableClock settableClock() {
            return new SettableClock();
        }
    }
}
