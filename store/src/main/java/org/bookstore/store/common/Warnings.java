package org.bookstore.store.common;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning anyone on the internet can cause (a forged webhook, a body too large): logged at most once a minute, with
 * how many like it were left out since. One line a request would let a single client write megabytes of log a second.
 */
public final class Warnings {

    private static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final AtomicLong nextAt = new AtomicLong(System.nanoTime());
    private final AtomicLong leftOut = new AtomicLong();

    public Warnings(Logger log) {
        this.log = log;
    }

    /** Logs {@code message} (SLF4J's {@code {}} placeholders) unless one was logged here within the last minute. */
    public void warn(String message, Object... arguments) {
        long now = System.nanoTime();
        long next = nextAt.get();
        if (now - next < 0 || !nextAt.compareAndSet(next, now + EVERY_NANOS)) {
            leftOut.incrementAndGet();
            return;
        }
        long before = leftOut.getAndSet(0);
        if (before == 0) {
            log.warn(message, arguments);
        } else {
            log.warn(message + " ({} more like it in the last minute were not logged)", append(arguments, before));
        }
    }

    private static Object[] append(Object[] arguments, Object last) {
        Object[] all = java.util.Arrays.copyOf(arguments, arguments.length + 1);
        all[arguments.length] = last;
        return all;
    }
}
