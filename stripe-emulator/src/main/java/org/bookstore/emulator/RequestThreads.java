package org.bookstore.emulator;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that serve HTTP requests, and the watch that cuts off clients too slow to send a request or to take
 * its answer.
 *
 * <p>The JDK's server reads a request's headers on the thread that will handle it, so a client sending one byte
 * every few seconds holds a thread for as long as it likes. Here every request has {@code clientTimeout} to arrive
 * whole (headers and body) and again to be written back; past that its thread is interrupted, which closes the
 * connection (the server's sockets are interruptible channels). Work on a request that has arrived is never cut
 * short. Threads are made on demand up to a high limit, so the few threads slow clients hold never leave the others
 * waiting; past the limit a new connection is closed at once rather than queued behind them, and the server's own
 * dispatcher never runs a request itself.
 */
final class RequestThreads implements Executor {
    /** Where one request is: its clock runs while it is arriving and while its answer is written. */
    private enum Phase {
        ARRIVING, WORKING, ANSWERING, DONE
    }

    /** One request on one thread. */
    private static final class Request {
        final Thread thread = Thread.currentThread();
        final long timeoutNanos;
        Phase phase = Phase.ARRIVING;
        long deadline;
        boolean cutOff;

        Request(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
            this.deadline = System.nanoTime() + timeoutNanos;
        }
    }

    private static final ThreadLocal<Request> CURRENT = new ThreadLocal<>();

    private final ThreadPoolExecutor pool;
    private final long timeoutNanos;
    private final Set<Request> requests = ConcurrentHashMap.newKeySet();

    RequestThreads(int maxThreads, long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        AtomicInteger n = new AtomicInteger();
        // no queue: a request either gets a thread now or its connection is closed (AbortPolicy; the JDK's
        // dispatcher closes the connection of a request the executor refuses)
        this.pool = new ThreadPoolExecutor(Math.min(8, maxThreads), maxThreads, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "stripe-emulator-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void execute(Runnable exchange) {
        pool.execute(() -> {
            Request r = new Request(timeoutNanos);
            CURRENT.set(r);
            requests.add(r);
            try {
                exchange.run();
            } finally {
                requests.remove(r);
                CURRENT.remove();
                synchronized (r) {
                    r.phase = Phase.DONE;
                }
                // an interrupt meant for this request must not reach the next one on this thread
                Thread.interrupted();
            }
        });
    }

    /**
     * The current request has arrived whole: from now on nothing interrupts it. False when it was cut off first,
     * and then it must not be processed.
     */
    static boolean arrived() {
        Request r = CURRENT.get();
        if (r == null) {
            return true;
        }
        synchronized (r) {
            if (r.cutOff) {
                return false;
            }
            r.phase = Phase.WORKING;
            return true;
        }
    }

    /** The current request's answer is about to be written: the client has the timeout again to take it. */
    static void answering() {
        Request r = CURRENT.get();
        if (r == null) {
            return;
        }
        synchronized (r) {
            if (!r.cutOff) {
                r.phase = Phase.ANSWERING;
                r.deadline = System.nanoTime() + r.timeoutNanos;
            }
        }
    }

    /** Cuts off the requests past their deadline; runs every few hundred milliseconds. */
    void cutOffSlowClients() {
        long now = System.nanoTime();
        for (Request r : requests) {
            synchronized (r) {
                boolean timed = r.phase == Phase.ARRIVING || r.phase == Phase.ANSWERING;
                if (timed && !r.cutOff && now - r.deadline > 0) {
                    r.cutOff = true;
                    r.thread.interrupt();
                }
            }
        }
    }

    /** Requests being served now, slow ones included. */
    int active() {
        return requests.size();
    }

    void shutdown() {
        pool.shutdownNow();
    }
}
