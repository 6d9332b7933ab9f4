package org.bookstore.store.notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Hands event publications that never completed back to their listeners: the store died between committing an
 * event and its listener finishing, or the listener failed. It runs when the store starts (for everything published
 * before) and then periodically (for what is older than {@code resubmit-older-than}), on one instance at a time: the
 * instance holding the database lease. Listeners are idempotent, so a publication handed over twice does no harm.
 */
@Component
class Resubmission {

    private static final Logger log = LoggerFactory.getLogger(Resubmission.class);
    private static final String LEASE = "resubmission";
    private static final Duration HOLD = Duration.ofMinutes(5);
    private static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);

    private final IncompleteEventPublications publications;
    private final JdbcClient jdbc;
    private final MailSettings settings;
    private final Clock clock;
    private final String holder = UUID.randomUUID().toString();
    private final Instant startedAt;

    Resubmission(IncompleteEventPublications publications, JdbcClient jdbc, MailSettings settings, Clock clock) {
        this.publications = publications;
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    @EventListener(ApplicationReadyEvent.class)
    void afterStart() {
        alone(() -> {
            releaseAbandoned();
            publications.resubmitIncompletePublications(publication -> publication.getPublicationDate().isBefore(startedAt));
        });
    }

    @Scheduled(fixedDelayString = "${bookstore.notifications.resubmit-every:PT1M}",
            initialDelayString = "${bookstore.notifications.resubmit-every:PT1M}")
    void periodically() {
        alone(() -> {
            releaseAbandoned();
            publications.resubmitIncompletePublicationsOlderThan(settings.resubmitOlderThan());
        });
    }

    /**
     * Modulith never resubmits a publication already marked resubmitted; one whose instance died before its listener
     * started would wait for ever. After {@link #ABANDONED_AFTER} it counts as failed, so it is handed over again.
     */
    private void releaseAbandoned() {
        int released = jdbc.sql("UPDATE event_publication SET status = 'FAILED' WHERE status = 'RESUBMITTED' AND last_resubmission_date < ?")
                .param(Timestamp.from(clock.instant().minus(ABANDONED_AFTER))).update();
        if (released > 0) {
            log.info("{} event publications resubmitted but never started are handed over again", released);
        }
    }

    /** Runs {@code work} if this instance gets the lease; another instance holding it means it is being done. */
    boolean alone(Runnable work) {
        Instant now = clock.instant();
        int taken = jdbc.sql("UPDATE notification_leases SET held_by = ?, held_until = ? WHERE name = ? AND (held_until < ? OR held_by = ?)")
                .params(holder, Timestamp.from(now.plus(HOLD)), LEASE, Timestamp.from(now), holder).update();
        if (taken == 0) {
            return false;
        }
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("Could not resubmit unfinished event publications: {}", e.toString());
        } finally {
            jdbc.sql("UPDATE notification_leases SET held_until = ? WHERE name = ? AND held_by = ?")
                    .params(Timestamp.from(clock.instant()), LEASE, holder).update();
        }
        return true;
    }

    @Configuration
    @EnableScheduling
    static class Scheduling {
    }
}
