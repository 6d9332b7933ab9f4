package org.bookstore.store.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bookstore.store.common.JobLocks;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderRepository;
import org.bookstore.store.payments.PaymentActions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Re-checks with Stripe every order left pending past {@code bookstore.admin.recheck-pending-after} (15 min), the
 * same way as the order page's "Re-check with Stripe": whatever it finds moves the order through the webhooks' path
 * and is written in the order's timeline with this job as its cause. It runs on one instance at a time: a lock row
 * in the database ({@link JobLocks}), not a lock in one JVM.
 */
@Component
class PendingOrdersRecheck {

    static final String CAUSE = "scheduled re-check of orders pending too long";
    private static final Logger log = LoggerFactory.getLogger(PendingOrdersRecheck.class);

    private final OrderRepository orders;
    private final PaymentActions actions;
    private final Clock clock;
    private final Duration after;
    private final JobLocks locks;
    private final Duration lockAtLeast;

    PendingOrdersRecheck(OrderRepository orders, PaymentActions actions, Clock clock,
            @Value("${bookstore.admin.recheck-pending-after:PT15M}") Duration after, JobLocks locks,
            @Value("${bookstore.admin.recheck-lock-at-least:PT1M}") Duration lockAtLeast) {
        this.orders = orders;
        this.actions = actions;
        this.clock = clock;
        this.after = after;
        this.locks = locks;
        this.lockAtLeast = lockAtLeast;
    }

    @Scheduled(fixedDelayString = "${bookstore.admin.recheck-every:PT5M}", initialDelayString = "${bookstore.admin.recheck-first-after:PT1M}")
    public void scheduled() {
        locks.runAlone("recheck-pending-orders", Duration.ofMinutes(10), lockAtLeast, () -> {
            List<String> changed = recheck();
            if (!changed.isEmpty()) {
                log.info("Re-checked orders pending too long: {}", changed);
            }
        });
    }

    /** One pass; returns what it found for each order it checked. */
    List<String> recheck() {
        List<String> found = new ArrayList<>();
        for (Order order : orders.pendingSince(clock.instant().minus(after), 100)) {
            PaymentActions.Outcome outcome = actions.recheck(order.id(), CAUSE);
            found.add("#" + order.id() + ": " + outcome.message());
        }
        return found;
    }
}
