package org.bookstore.store.payments.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import com.stripe.Stripe;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.bookstore.store.support.StoreTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A backlog left in the inbox (an instance that died with hundreds of events kept and not acted on, or more arriving
 * than the workers hold in memory) is taken by the next sweep as a whole, as fast as the workers act, not one batch of
 * a hundred per sweep, which at a sweep every 5 s drained twenty events a second.
 */
@StoreTest
class InboxBacklogTest {

    private static final int BACKLOG = 350;

    @Autowired
    StripeInbox inbox;
    @Autowired
    JdbcClient jdbc;

    @Test
    void oneSweepTakesAWholeBacklogAndEveryEventIsActedOn() {
        // Events of another integration's PaymentIntents on the same Stripe account, kept by an instance that died.
        // Their turn is an hour ahead of the clock, so that only the sweep below, an hour and a half on, takes them.
        Instant received = Instant.now();
        Instant due = received.plus(Duration.ofHours(1));
        for (int i = 0; i < BACKLOG; i++) {
            String eventId = "evt_backlog_" + i;
            jdbc.sql("INSERT INTO stripe_inbox (event_id, event_type, payload, received_at, try_after) VALUES (?, ?, ?, ?, ?)")
                    .params(eventId, "payment_intent.succeeded", strangersEvent(eventId, "pi_backlog_" + i), Timestamp.from(received),
                            Timestamp.from(due)).update();
        }
        int statusChangesBefore = jdbc.sql("SELECT COUNT(*) FROM order_status_changes").query(Integer.class).single();

        Instant sweptAt = due.plus(Duration.ofMinutes(30));
        inbox.sweep(sweptAt);

        assertThat(jdbc.sql("SELECT COUNT(*) FROM stripe_inbox WHERE event_id LIKE 'evt_backlog_%' AND try_after <= ?")
                .param(Timestamp.from(sweptAt)).query(Integer.class).single())
                .as("events of the backlog the sweep left for a later one").isZero();
        eventually("every event of the backlog is acted on", () -> backlogRecorded() == BACKLOG);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM stripe_inbox WHERE event_id LIKE 'evt_backlog_%'").query(Integer.class).single())
                .as("events of the backlog still waiting").isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM order_status_changes").query(Integer.class).single())
                .as("orders moved by payments the store did not make").isEqualTo(statusChangesBefore);
    }

    private int backlogRecorded() {
        return jdbc.sql("SELECT COUNT(*) FROM stripe_events WHERE event_id LIKE 'evt_backlog_%'").query(Integer.class).single();
    }

    private static String strangersEvent(String eventId, String intentId) {
        return """
                {"id":"%s","object":"event","api_version":"%s","created":1796180000,"data":{"object":{"id":"%s",\
                "object":"payment_intent","amount":2500,"amount_received":2500,"currency":"usd","metadata":{},\
                "status":"succeeded","livemode":false}},"livemode":false,"pending_webhooks":1,\
                "request":{"id":null,"idempotency_key":null},"type":"payment_intent.succeeded"}"""
                .formatted(eventId, Stripe.API_VERSION, intentId);
    }
}
