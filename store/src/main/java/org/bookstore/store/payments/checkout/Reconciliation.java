package org.bookstore.store.payments.checkout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bookstore.store.payments.CheckoutRefused;
import org.bookstore.store.payments.PaymentsUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Catches up with Stripe when nothing else will: an attempt whose creation was never answered (the store died, or
 * Stripe timed out) is asked for again; a payment left on the store's page past the checkout time is cancelled, as a
 * Checkout Session would expire, giving the stock and the cart back; an expired session or a payment not heard of for
 * a while is read again, in case its webhook was lost. Every instance may run this at once: each step is idempotent
 * and each change takes the attempt's row lock.
 */
@Component
public class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);
    private static final int BATCH = 100;

    private final CheckoutAttempts attempts;
    private final Checkouts checkouts;
    private final Clock clock;
    private final Duration unansweredAfter;
    private final Duration quietAfter;

    Reconciliation(CheckoutAttempts attempts, Checkouts checkouts, Clock clock,
            @Value("${bookstore.payments.unanswered-after:PT30S}") Duration unansweredAfter,
            @Value("${bookstore.payments.quiet-after:PT10M}") Duration quietAfter) {
        this.attempts = attempts;
        this.checkouts = checkouts;
        this.clock = clock;
        this.unansweredAfter = unansweredAfter;
        this.quietAfter = quietAfter;
    }

    /** What one pass did. */
    public record Pass(int adopted, int closed, int reread, int failed) {
    }

    @Scheduled(fixedDelayString = "${bookstore.payments.reconcile-every:PT1M}", initialDelayString = "${bookstore.payments.reconcile-first-after:PT20S}")
    void scheduled() {
        Pass pass = reconcile(clock.instant());
        if (pass.adopted() + pass.closed() + pass.reread() + pass.failed() > 0) {
            log.info("Reconciled checkout attempts with Stripe: {}", pass);
        }
    }

    /** One pass as if it were {@code now}. */
    public Pass reconcile(Instant now) {
        int adopted = 0;
        int closed = 0;
        int reread = 0;
        int failed = 0;
        for (CheckoutAttempt attempt : attempts.liveIn(AttemptStatus.CREATING, now.minus(unansweredAfter), BATCH)) {
            try {
                checkouts.adopt(attempt, "reconciliation: creation never answered");
                adopted++;
            } catch (PaymentsUnavailable e) {
                failed++;
            }
        }
        for (CheckoutAttempt attempt : attempts.liveExpiredBefore(now, BATCH)) {
            try {
                if (attempt.hosted()) {
                    checkouts.settle(attempt, "reconciliation: checkout past its expiry");
                } else {
                    checkouts.close(attempt, "reconciliation: payment left unfinished past the checkout time");
                }
                closed++;
            } catch (CheckoutRefused paidOrUnderWay) {
                reread++;
            } catch (PaymentsUnavailable e) {
                failed++;
            }
        }
        for (AttemptStatus status : List.of(AttemptStatus.OPEN, AttemptStatus.STARTED, AttemptStatus.REQUIRES_ACTION,
                AttemptStatus.PROCESSING, AttemptStatus.FAILED)) {
            for (CheckoutAttempt attempt : attempts.liveIn(status, now.minus(quietAfter), BATCH)) {
                try {
                    checkouts.settle(attempt, "reconciliation: no news from Stripe for a while");
                    reread++;
                } catch (PaymentsUnavailable e) {
                    failed++;
                }
            }
        }
        return new Pass(adopted, closed, reread, failed);
    }

    @Configuration
    @EnableScheduling
    static class Scheduling {
    }
}
