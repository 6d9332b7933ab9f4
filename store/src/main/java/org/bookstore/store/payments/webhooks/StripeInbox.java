package org.bookstore.store.payments.webhooks;

import com.stripe.model.Event;
import com.stripe.model.StripeObject;
import com.stripe.net.ApiResource;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.bookstore.store.payments.PaymentsUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The verified Stripe events the store has acknowledged and not acted on yet ({@code stripe_inbox}). Stripe wants a
 * webhook answered quickly, before any slow work; so a delivery is answered once its event is committed here, and a
 * worker of the receiving instance then acts on it (reading Stripe, settling the order) and deletes it. If acting
 * fails (Stripe cannot be asked, the database is away) the event waits, ever longer, and is tried again; if the
 * instance dies first, any instance takes it once its turn ({@code bookstore.payments.webhook-retry-after}) has passed.
 * Acting on an event twice does no harm ({@link StripeEvents} acts on each once, and reads Stripe afresh), so two
 * instances racing for one only cost a little work. An event is never lost once its delivery was answered 2xx.
 *
 * <p>Answering comes first: while deliveries are arriving, a worker waits for a pause in them ({@link #QUIET} with
 * none answered and none being answered) before it takes its next event, for at most
 * {@code bookstore.payments.webhook-yield} (1 s). So a burst of deliveries (Stripe sending everything it held while
 * the store was away) is answered at full speed and acted on right after, while a stream with no pause at all still
 * has each worker acting on an event at least once a second. Acting on an event (reading Stripe, settling the order,
 * the receipt that follows) costs many times what answering a delivery does: in {@code bench/webhook-bench.sh}'s
 * burst, four workers acting every 100 ms took about a third of the store's CPU from the deliveries. (Nor is a moment
 * with no delivery being answered a pause: a burst has thousands of those a second, between one answer and the next.)
 */
@Component
class StripeInbox {

    private static final Logger log = LoggerFactory.getLogger(StripeInbox.class);
    private static final int BATCH = 100;
    private static final int WAITING_IN_MEMORY = 10_000;
    private static final Duration LONGEST_WAIT = Duration.ofHours(1);

    private final JdbcClient jdbc;
    private final StripeEvents events;
    private final Clock clock;
    private final Duration retryAfter;
    private final ThreadPoolExecutor workers;
    /** How long no delivery must have been answered before a worker takes an event without waiting out its yield. */
    static final Duration QUIET = Duration.ofMillis(10);

    private final Deliveries deliveries;

    StripeInbox(JdbcClient jdbc, StripeEvents events, Clock clock,
            @Value("${bookstore.payments.webhook-workers:4}") int workerCount,
            @Value("${bookstore.payments.webhook-retry-after:PT1M}") Duration retryAfter,
            @Value("${bookstore.payments.webhook-yield:PT1S}") Duration yield) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.retryAfter = retryAfter;
        this.deliveries = new Deliveries(yield.toNanos(), QUIET.toNanos(), System.nanoTime());
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(workerCount, workerCount, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(WAITING_IN_MEMORY), task -> {
                    Thread thread = new Thread(task, "stripe-events-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.DiscardPolicy());
    }

    /** A delivery is being answered until the returned handle is closed; workers yield to it meanwhile. */
    Answering answering() {
        return deliveries.answering();
    }

    /**
     * The deliveries being answered, as the workers see them: a worker that began waiting at {@code since} may take its
     * next event once {@link #mayAct} says so. Times are {@link System#nanoTime()}s.
     */
    static final class Deliveries {
        private final AtomicInteger answering = new AtomicInteger();
        private final long yieldNanos;
        private final long quietNanos;
        private volatile long lastAnswered;

        Deliveries(long yieldNanos, long quietNanos, long now) {
            this.yieldNanos = yieldNanos;
            this.quietNanos = quietNanos;
            this.lastAnswered = now - quietNanos;
        }

        Answering answering() {
            answering.incrementAndGet();
            return () -> answered(System.nanoTime());
        }

        void answered(long now) {
            lastAnswered = now;
            answering.decrementAndGet();
        }

        /** After the yield in any case; before it, only in a pause: none being answered, and none for a while. */
        boolean mayAct(long since, long now) {
            return now - since >= yieldNanos || (answering.get() == 0 && now - lastAnswered >= quietNanos);
        }
    }

    interface Answering extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Keeps a verified event to act on, committed before this returns, and hands its id to a worker, which reads the
     * body back from the table: a burst of deliveries (Stripe sending everything it held while the store was away)
     * waits in memory as ids, not as bodies of up to {@link StripeWebhookEndpoint#MAX_BODY} each, thousands of which
     * would not fit in a small heap. Does nothing for an event acted on already or already waiting here (a repeated
     * delivery). Throws if the database cannot keep it: the delivery must then fail, so that Stripe sends it again.
     */
    void accept(String eventId, String type, String payload) {
        Instant now = clock.instant();
        int kept;
        try {
            kept = jdbc.sql("INSERT INTO stripe_inbox (event_id, event_type, payload, received_at, try_after) SELECT ?, ?, ?, ?, ? "
                            + "WHERE NOT EXISTS (SELECT 1 FROM stripe_events WHERE event_id = ?) "
                            + "AND NOT EXISTS (SELECT 1 FROM stripe_inbox WHERE event_id = ?)")
                    .params(eventId, truncate(type, 100), payload, Timestamp.from(now), Timestamp.from(now.plus(retryAfter)), eventId, eventId)
                    .update();
        } catch (DuplicateKeyException waiting) {
            return;
        }
        if (kept == 1) {
            submit(eventId);
        }
    }

    /** Takes the events whose turn has passed (left by a dead instance, or waiting to be tried again) and acts on them. */
    @Scheduled(fixedDelayString = "${bookstore.payments.webhook-sweep-every:PT5S}", initialDelayString = "${bookstore.payments.webhook-sweep-every:PT5S}")
    void sweep() {
        try {
            sweep(clock.instant());
        } catch (RuntimeException e) {
            // The database may be briefly unreachable: nothing is lost, the next sweep looks again.
            log.warn("Could not look for Stripe events still to be acted on: {}", e.toString());
        }
    }

    /**
     * Takes batch after batch while the workers have room for more in memory: a backlog (an instance that died with
     * thousands waiting, or more waiting than fit in memory) is taken as fast as the workers act on it, not one batch
     * per sweep. What does not fit now waits for the next sweep.
     */
    int sweep(Instant now) {
        int taken = 0;
        while (true) {
            int batch = Math.min(BATCH, workers.getQueue().remainingCapacity());
            if (batch == 0 || workers.isShutdown()) {
                // Full, or stopping: nothing more is leased that this instance would not act on.
                return taken;
            }
            List<String> due = jdbc.sql("SELECT event_id FROM stripe_inbox WHERE try_after <= ? ORDER BY try_after LIMIT " + batch)
                    .param(Timestamp.from(now)).query(String.class).list();
            for (String eventId : due) {
                // Taken for as long as the receiving instance had; another sweep (of any instance) leaves it alone meanwhile.
                boolean mine = jdbc.sql("UPDATE stripe_inbox SET try_after = ? WHERE event_id = ? AND try_after <= ?")
                        .params(Timestamp.from(now.plus(retryAfter)), eventId, Timestamp.from(now)).update() == 1;
                if (mine) {
                    submit(eventId);
                    taken++;
                }
            }
            if (due.size() < batch) {
                return taken;
            }
        }
    }

    /**
     * Hands an event to a worker. With too many waiting in memory already, or when stopping, it is dropped here (without
     * an exception's cost on the delivery's thread): it stays in the table, and a sweep takes it after its turn.
     */
    private void submit(String eventId) {
        workers.execute(() -> actOn(eventId));
    }

    private void actOn(String eventId) {
        long since = System.nanoTime();
        while (!deliveries.mayAct(since, System.nanoTime())) {
            LockSupport.parkNanos(1_000_000);
        }
        try {
            Optional<String> payload = jdbc.sql("SELECT payload FROM stripe_inbox WHERE event_id = ?").param(eventId)
                    .query(String.class).optional();
            if (payload.isEmpty()) {
                return;
            }
            Event event = parse(payload.get());
            if (!eventId.equals(event.getId())) {
                throw new IllegalStateException("Stripe's SDK reads the kept body as event " + event.getId());
            }
            events.handle(event);
            forget(eventId);
        } catch (RuntimeException e) {
            tryAgainLater(eventId, e);
        }
    }

    private void forget(String eventId) {
        jdbc.sql("DELETE FROM stripe_inbox WHERE event_id = ?").param(eventId).update();
    }

    private void tryAgainLater(String eventId, RuntimeException failure) {
        try {
            int tries = jdbc.sql("SELECT tries FROM stripe_inbox WHERE event_id = ?").param(eventId).query(Integer.class).optional().orElse(0) + 1;
            Duration wait = retryAfter.multipliedBy(1L << Math.min(tries - 1, 12));
            Instant next = clock.instant().plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait);
            String why = failure instanceof PaymentsUnavailable && failure.getCause() != null
                    ? "Stripe could not be asked (" + failure.getCause().getMessage() + ")" : failure.toString();
            jdbc.sql("UPDATE stripe_inbox SET tries = ?, try_after = ?, last_error = ? WHERE event_id = ?")
                    .params(tries, Timestamp.from(next), truncate(why, 1000), eventId).update();
            if (failure instanceof PaymentsUnavailable) {
                log.warn("Stripe event {} waits to be acted on (try {}): Stripe could not be asked; trying again after {}", eventId, tries, next);
            } else {
                log.error("Stripe event {} waits to be acted on (try {}); trying again after {}", eventId, tries, next, failure);
            }
        } catch (RuntimeException e) {
            // Its turn is already set (when it was received or taken): it is tried again then.
            log.error("Stripe event {} could not be acted on ({}) and waits for its turn", eventId, failure.toString(), e);
        }
    }

    /**
     * The event as Stripe's SDK reads a webhook's body, its signature having been checked when it arrived. One the SDK
     * cannot read throws, and waits like any failure (and is listed in the back office): Stripe will not send it again,
     * and a newer SDK may read it.
     */
    private static Event parse(String payload) {
        try {
            return StripeObject.deserializeStripeObject(payload, Event.class, ApiResource.getGlobalResponseGetter());
        } catch (RuntimeException unreadable) {
            throw new IllegalStateException("Stripe's SDK cannot read it as an event: " + unreadable, unreadable);
        }
    }

    /** Events not handed to a worker yet stay in the table; those being acted on finish (never interrupted mid-write). */
    @PreDestroy
    void stop() throws InterruptedException {
        workers.getQueue().clear();
        workers.shutdown();
        if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
            log.warn("Stopped with Stripe events still being acted on; they are taken again after their turn");
        }
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
