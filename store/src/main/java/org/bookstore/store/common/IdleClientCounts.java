package org.bookstore.store.common;

import java.time.Duration;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes idle client counts ({@link ClientCounts#sweep()}) every hour, on one instance at a time. */
@Component
class IdleClientCounts {

    private final ClientCounts counts;
    private final JobLocks locks;

    IdleClientCounts(ClientCounts counts, JobLocks locks) {
        this.counts = counts;
        this.locks = locks;
    }

    @Scheduled(fixedDelayString = "${bookstore.client-counts.sweep-every:PT1H}",
            initialDelayString = "${bookstore.client-counts.sweep-first-after:PT10M}")
    void sweep() {
        locks.runAlone("delete-idle-client-counts", Duration.ofMinutes(30), Duration.ofMinutes(1), counts::sweep);
    }
}
