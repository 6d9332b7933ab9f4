package org.bookstore.store.cart;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Two tabs, or a double click: concurrent changes to one cart are applied one after the other, none lost. */
@StoreTest
class ConcurrentCartTest {

    @Autowired
    CartService carts;
    @Autowired
    JdbcClient jdbc;

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
}
