package org.bookstore.store.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.ArrayList;
import org.bookstore.store.orders.CartOwner;
import org.bookstore.store.support.StoreTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Two tabs, or a double click: concurrent changes to one cart are applied one after the other, none lost. */
@StoreTest
class ConcurrentCartTest {

    @Autowired
    CartService carts;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void concurrentAddsToOneCartAreAllCounted() throws Exception {
        CartOwner guest = CartOwner.guest(UUID.randomUUID().toString().replace("-", ""));
        String book = Long.toString(jdbc.sql("SELECT id FROM books WHERE slug = 'code-hidden-language'").query(Long.class).single());

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> adds = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                adds.add(pool.submit(() -> {
                    start.await();
                    return carts.add(guest, book, "1", "127.0.0.1");
                }));
            }
            start.countDown();
            for (Future<?> add : adds) {
                add.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(carts.cart(guest).orElseThrow().itemCount()).isEqualTo(12);
    }

    @Test
    void concurrentAddsNeverTakeALineAboveTheStock() throws Exception {
        CartOwner guest = CartOwner.guest(UUID.randomUUID().toString().replace("-", ""));
        long bookId = jdbc.sql("SELECT id FROM books WHERE slug = 'soul-of-a-new-machine'").query(Long.class).single();
        jdbc.sql("UPDATE books SET stock = 5 WHERE id = ?").param(bookId).update();
        try {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            int refused = 0;
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> adds = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    adds.add(pool.submit(() -> {
                        start.await();
                        return carts.add(guest, Long.toString(bookId), "1", "127.0.0.1");
                    }));
                }
                start.countDown();
                for (Future<?> add : adds) {
                    try {
                        add.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(CartException.class);
                        refused++;
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(carts.cart(guest).orElseThrow().itemCount()).isEqualTo(5);
            assertThat(refused).isEqualTo(3);
        } finally {
            jdbc.sql("UPDATE books SET stock = 22 WHERE id = ?").param(bookId).update();
        }
    }

    /**
     * A change refused on what the cart holds (a 100th copy, a book not in it, more than the stock) is refused before
     * the cart's row is locked, so it writes nothing: here another transaction holds that lock the whole time, and the
     * refusals still come back. (The time limit only stops the test hanging if they waited for the lock.)
     */
    @Test
    void refusedChangesAreAnsweredWithoutTakingTheCartsLock() throws Exception {
        CartOwner guest = CartOwner.guest(UUID.randomUUID().toString().replace("-", ""));
        String plentiful = Long.toString(jdbc.sql("SELECT id FROM books WHERE slug = 'code-hidden-language'").query(Long.class).single());
        String other = Long.toString(jdbc.sql("SELECT id FROM books WHERE slug = 'soul-of-a-new-machine'").query(Long.class).single());
        jdbc.sql("UPDATE books SET stock = 500 WHERE id = ?").param(Long.parseLong(plentiful)).update();
        carts.add(guest, plentiful, "99", "127.0.0.1");
        long cartId = carts.cart(guest).orElseThrow().id();

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try {
            Future<?> holding = holder.submit(() -> transactions.executeWithoutResult(status -> {
                jdbc.sql("SELECT id FROM orders WHERE id = ? FOR UPDATE").param(cartId).query(Long.class).single();
                locked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            locked.await();
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                assertThatThrownBy(() -> carts.add(guest, plentiful, "1", "127.0.0.1"))
                        .hasMessage("You can have at most 99 copies of a book in your cart (you already have 99).");
                assertThatThrownBy(() -> carts.remove(guest, other)).hasMessage("That book is not in your cart.");
                assertThatThrownBy(() -> carts.changeQuantity(guest, other, "2")).hasMessage("That book is not in your cart.");
            });
            release.countDown();
            holding.get();
        } finally {
            release.countDown();
            holder.shutdownNow();
        }
        assertThat(carts.cart(guest).orElseThrow().line(Long.parseLong(plentiful)).orElseThrow().quantity()).isEqualTo(99);
    }
}
