package org.bookstore.store.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs attempts on threads of their own, all released at the same moment, and returns what each gave, in order. */
public final class AtOnce {

    private AtOnce() {}

    public static <T> List<T> run(List<? extends Callable<T>> attempts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(attempts.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> attempt : attempts) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return attempt.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The same attempt {@code times} times at once. */
    public static <T> List<T> run(int times, Callable<T> attempt) throws Exception {
        return run(java.util.Collections.nCopies(times, attempt));
    }
}
