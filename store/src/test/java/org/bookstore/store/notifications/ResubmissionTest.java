package org.bookstore.store.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.RefundSucceeded;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.events.core.EventSerializer;

/**
 * Event publications a dead instance left unfinished are delivered by the periodic resubmission, by one instance at a
 * time. Each publication is written here as the registry writes it, in the state a crash leaves it in.
 */
class ResubmissionTest extends MailScenarios {

    @Autowired
    Resubmission resubmission;
    @Autowired
    EventSerializer serializer;

    @Test
    void aPublicationWhoseStoreDiedBeforeItsListenerRanIsDelivered() {
        long order = pay(shopperWithCart());
        leaveUnfinished(new RefundSucceeded(order, "re_unfinished_" + order, Money.of(2300, "USD"), "test"), "PUBLISHED");

        resubmission.periodically();

        awaitSent("refund", order);
        eventually("the publication completed", () -> publications() == 0);
    }

    @Test
    void aPublicationMarkedResubmittedByAnInstanceThatThenDiedIsDeliveredAfterAWhile() {
        long order = pay(shopperWithCart());
        leaveUnfinished(new RefundSucceeded(order, "re_abandoned_" + order, Money.of(2300, "USD"), "test"), "RESUBMITTED");

        resubmission.periodically();

        awaitSent("refund", order);
        eventually("the publication completed", () -> publications() == 0);
    }

    @Test
    void whileAnotherInstanceHoldsTheLeaseThisOneLeavesThePublicationsAlone() {
        long order = pay(shopperWithCart());
        leaveUnfinished(new RefundSucceeded(order, "re_leased_" + order, Money.of(2300, "USD"), "test"), "PUBLISHED");
        jdbc.sql("UPDATE notification_leases SET held_by = 'another instance', held_until = ? WHERE name = 'resubmission'")
                .param(Timestamp.from(Instant.now().plus(Duration.ofMinutes(5)))).update();

        resubmission.periodically();

        assertThat(publications()).isEqualTo(1);
        assertThat(mailStatus("refund", order)).isEqualTo("none");
        jdbc.sql("UPDATE notification_leases SET held_until = ? WHERE name = 'resubmission'")
                .param(Timestamp.from(Instant.now().minusSeconds(1))).update();
        resubmission.periodically();
        awaitSent("refund", order);
    }

    /** An incomplete publication for the refund notice's listener, ten minutes old, in {@code status}. */
    private void leaveUnfinished(Object event, String status) {
        Timestamp tenMinutesAgo = Timestamp.from(Instant.now().minus(Duration.ofMinutes(10)));
        jdbc.sql("INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date, status, "
                        + "completion_attempts, last_resubmission_date) VALUES (?, 'notifications.refund', ?, ?, ?, ?, 1, ?)")
                .params(UUID.randomUUID(), event.getClass().getName(), serializer.serialize(event).toString(), tenMinutesAgo, status,
                        status.equals("RESUBMITTED") ? tenMinutesAgo : null)
                .update();
    }

    private int publications() {
        return jdbc.sql("SELECT COUNT(*) FROM event_publication WHERE listener_id = 'notifications.refund'").query(Integer.class).single();
    }
}
