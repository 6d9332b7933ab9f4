package org.bookstore.store.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderRepository;
import org.bookstore.store.payments.PaymentActions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Re-checks with Stripe every order left pending past {@code bookstore.admin.recheck-pending-after} (15 min), the
 * same way as the order page's "Re-check with Stripe": whatever it finds moves the order through the webhooks' path
 * and is written in the order's timeline with this job as its cause. It runs on one instance at a time: a lock row
 * in the database (ShedLock), not a lock in one JVM.
 */
@Component
class PendingOrdersRecheck {

    static final String CAUSE = "scheduled re-check of orders pending too long";
    private static final Logger log = LoggerFactory.getLogger(PendingOrdersRecheck.class);

    private final OrderRepository orders;
    private final PaymentActions actions;
    private final Clock clock;
    private final Duration after;

    PendingOrdersRecheck(OrderRepository orders, PaymentActions actions, Clock clock,
            @Value("${bookstore.admin.recheck-pending-after:PT15M}") Duration after) {
        this.orders = orders;
        this.actions = actions;
        this.clock = clock;
        this.after = after;
    }

    @Scheduled(fixedDelayString = "${bookstore.admin.recheck-every:PT5M}", initialDelayString = "${bookstore.admin.recheck-first-after:PT1M}")
    @SchedulerLock(name = "recheck-pending-orders", lockAtMostFor = "PT10M", lockAtLeastFor = "${bookstore.admin.recheck-lock-at-least:PT1M}")
    public void scheduled() {
        List<String> changed = recheck();
        if (!changed.isEmpty()) {
            log.info("Re-checked orders pending too long: {}", changed);
        }
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

    @Configuration
    @EnableSchedulerLock(defaultLockAtMostFor = "PT10M")
    static class Locks {
        @Bean
        LockProvider lockProvider(DataSource dataSource) {
            return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                    .withJdbcTemplate(new JdbcTemplate(dataSource))
                    .usingDbTime()
                    .build());
        }
    }
}
