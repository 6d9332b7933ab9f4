package org.bookstore.store.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bookstore.store.common.Money;
import org.bookstore.store.support.StoreTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The database rules behind the cart; {@link OrderRepositoryOnPostgresTest} runs the same tests on PostgreSQL. */
@StoreTest
class OrderRepositoryTest {

    private static final Currency USD = Currency.getInstance("USD");

    @Autowired
    OrderRepository orders;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void theDatabaseAllowsOnlyOneOpenCartPerBuyer() {
        long account = newAccount();
        orders.openCart(CartOwner.account(account), USD);

        assertThatThrownBy(() -> jdbc.sql("INSERT INTO orders (account_id, status, currency, cart_key) VALUES (?, 'cart', 'USD', ?)")
                .params(account, "account:" + account).update())
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void placedOrdersNoLongerCountAsTheOpenCart() {
        long account = newAccount();
        long first = orders.openCart(CartOwner.account(account), USD);
        jdbc.sql("UPDATE orders SET status = 'pending', cart_key = NULL WHERE id = ?").param(first).update();

        long second = orders.openCart(CartOwner.account(account), USD);

        assertThat(second).isNotEqualTo(first);
        assertThat(orders.findOpenCart(CartOwner.account(account)).orElseThrow().id()).isEqualTo(second);
    }

    @Test
    void anOrderThatIsNotACartCannotHoldTheCartSlot() {
        long account = newAccount();
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO orders (account_id, status, currency, cart_key) VALUES (?, 'paid', 'USD', ?)")
                .params(account, "account:" + account).update())
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void buyersOpeningTheirCartAtTheSameMomentGetOneCart() throws Exception {
        long account = newAccount();
        List<Long> ids = runConcurrently(8, () -> orders.openCart(CartOwner.account(account), USD));

        assertThat(ids).containsOnly(ids.get(0));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM orders WHERE account_id = ?").param(account).query(Integer.class).single())
                .isEqualTo(1);
    }

    @Test
    void linesKeepTheirPriceSnapshotAndTotalsAreComputedFromThem() {
        long cart = orders.openCart(CartOwner.guest(UUID.randomUUID().toString()), USD);
        long book = bookId("working-in-public");
        orders.putLine(cart, book, "Working in Public", Money.of(2800, "USD"), 2);
        orders.putLine(cart, book, "Working in Public", Money.of(2800, "USD"), 3);

        Order order = orders.findById(cart).orElseThrow();

        assertThat(order.lines()).containsExactly(new OrderLine(book, "Working in Public", Money.of(2800, "USD"), 3));
        assertThat(order.total()).isEqualTo(Money.of(8400, "USD"));
        assertThat(order.itemCount()).isEqualTo(3);
        assertThat(orders.removeLine(cart, book)).isTrue();
        assertThat(orders.findById(cart).orElseThrow().isEmpty()).isTrue();
    }

    @Test
    void theDatabaseRefusesQuantitiesOutside1To99() {
        long cart = orders.openCart(CartOwner.guest(UUID.randomUUID().toString()), USD);
        long book = bookId("working-in-public");
        assertThatThrownBy(() -> orders.putLine(cart, book, "Working in Public", Money.of(2800, "USD"), 100))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> orders.putLine(cart, book, "Working in Public", Money.of(2800, "USD"), 0))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void aLockedCartIsOnlyReturnedWhileItIsACart() {
        long cart = orders.openCart(CartOwner.guest(UUID.randomUUID().toString()), USD);
        java.util.Optional<Order> locked = transactions.execute(status -> orders.lockCart(cart));
        assertThat(locked).isPresent();

        jdbc.sql("UPDATE orders SET status = 'pending', cart_key = NULL WHERE id = ?").param(cart).update();

        java.util.Optional<Order> placed = transactions.execute(status -> orders.lockCart(cart));
        assertThat(placed).isEmpty();
    }

    long newAccount() {
        String email = "orders-" + UUID.randomUUID() + "@example.com";
        jdbc.sql("INSERT INTO accounts (email, name, password_hash) VALUES (?, 'Orders Test', '{noop}x')").param(email).update();
        return jdbc.sql("SELECT id FROM accounts WHERE email = ?").param(email).query(Long.class).single();
    }

    long bookId(String slug) {
        return jdbc.sql("SELECT id FROM books WHERE slug = ?").param(slug).query(Long.class).single();
    }

    static <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
