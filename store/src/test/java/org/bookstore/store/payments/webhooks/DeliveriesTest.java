package org.bookstore.store.payments.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the store's workers act on the events they hold, while Stripe's deliveries are arriving: only in a pause in
 * them, or once a worker has waited its whole yield. Times are given, not waited for.
 */
class DeliveriesTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long YIELD = 100 * MS;
    private static final long QUIET = 10 * MS;

    @Test
    void withNoDeliveriesAWorkerActsAtOnce() {
        StripeInbox.Deliveries deliveries = new StripeInbox.Deliveries(YIELD, QUIET, 5_000 * MS);
        assertThat(deliveries.mayAct(5_000 * MS, 5_000 * MS)).isTrue();
    }

    @Test
    void aBurstHoldsWorkersBackBetweenItsDeliveriesUntilTheirYieldIsOver() {
        long start = 7_000 * MS;
        StripeInbox.Deliveries deliveries = new StripeInbox.Deliveries(YIELD, QUIET, start);
        long since = start;
        // A delivery answered every 0.3 ms, and none being answered in the moments between them.
        for (long now = start; now < start + 99 * MS; now += MS / 3) {
            deliveries.answering();
            assertThat(deliveries.mayAct(since, now)).as("while one is answered, at %d ms", (now - start) / MS).isFalse();
            deliveries.answered(now + MS / 10);
            assertThat(deliveries.mayAct(since, now + MS / 6)).as("between two, at %d ms", (now - start) / MS).isFalse();
        }
        assertThat(deliveries.mayAct(since, start + YIELD)).as("after its yield").isTrue();
    }

    @Test
    void aPauseInTheDeliveriesLetsWorkersAct() {
        long start = 9_000 * MS;
        StripeInbox.Deliveries deliveries = new StripeInbox.Deliveries(YIELD, QUIET, start);
        deliveries.answering();
        deliveries.answered(start + 2 * MS);
        assertThat(deliveries.mayAct(start, start + 2 * MS + QUIET - 1)).isFalse();
        assertThat(deliveries.mayAct(start, start + 2 * MS + QUIET)).isTrue();
        // One being answered, however long ago the last one was, is not a pause.
        StripeInbox.Answering slow = deliveries.answering();
        assertThat(deliveries.mayAct(start + 40 * MS, start + 60 * MS)).isFalse();
        long closing = System.nanoTime();
        slow.close();
        assertThat(deliveries.mayAct(closing, closing)).as("the moment it ends").isFalse();
        assertThat(deliveries.mayAct(closing, System.nanoTime() + QUIET)).as("a pause after it").isTrue();
    }
}
