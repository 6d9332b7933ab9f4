package org.bookstore.store.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Waits for what the store does by itself, after the request that set it going has been answered: webhooks acted on,
 * mail sent, a restarted store catching up with Stripe. The condition is asked every 50 ms; the deadline only bounds a
 * failure (it is long enough for a restarted process on a busy machine), it never makes a pass.
 */
public final class Eventually {

    static final Duration DEADLINE = Duration.ofSeconds(90);

    private Eventually() {
    }

    public static void eventually(String what, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out after " + DEADLINE.toSeconds() + " s waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
