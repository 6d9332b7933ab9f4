package org.bookstore.store.payments.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bookstore.store.payments.CheckoutRefused;
import org.bookstore.store.payments.PayableOrder;
import org.bookstore.store.payments.PayableOrders;
import org.bookstore.store.payments.Payments;
import org.bookstore.store.payments.checkout.StripePayment.Failure;
import org.bookstore.store.payments.checkout.StripePayment.IntentState;
import org.bookstore.store.support.StoreTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decisions applied to the database: the attempt, its order, the stock and the timeline change together, once, under
 * the attempt's row lock, however many callers apply the same news at once. {@link SettlementOnPostgresTest} runs it
 * on PostgreSQL.
 */
@StoreTest
class SettlementTest {

    @Autowired
    Checkouts checkouts;
    @Autowired
    Settlement settlement;
    @Autowired
    CheckoutAttempts attempts;
    @Autowired
    PayableOrders orders;
    @Autowired
    Payments payments;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    HikariDataSource dataSource;

    private long account;
    private long book;
    private long order;
    private Payments.Payer payer;

    @BeforeEach
    void anAccountWithACartOfTwoBooks() {
        String email = "settlement-" + UUID.randomUUID() + "@example.com";
        jdbc.sql("INSERT INTO accounts (email, name, password_hash) VALUES (?, 'Settlement', '{noop}x')").param(email).update();
        account = jdbc.sql("SELECT id FROM accounts WHERE email = ?").param(email).query(Long.class).single();
        payer = new Payments.Payer(account, email, "Settlement");
        book = jdbc.sql("SELECT id FROM books WHERE slug = 'refactoring'").query(Long.class).single();
        jdbc.sql("UPDATE books SET stock = 26 WHERE id = ?").param(book).update();
        jdbc.sql("INSERT INTO orders (account_id, status, currency, cart_key) VALUES (?, 'cart', 'USD', ?)")
                .params(account, "account:" + account).update();
        order = jdbc.sql("SELECT id FROM orders WHERE account_id = ?").param(account).query(Long.class).single();
        jdbc.sql("INSERT INTO order_lines (order_id, book_id, title, unit_price_minor, quantity) VALUES (?, ?, 'Refactoring', 4700, 2)")
                .params(order, book).update();
    }

    @Test
    void beginningAnAttemptReservesTheStockOnceAndLocksTheCart() {
        CheckoutAttempt attempt = checkouts.begin(cart(), payer, CheckoutAttempt.Integration.EMBEDDED).orElseThrow();

        assertThat(attempt.status()).as("recorded before Stripe is asked").isEqualTo(AttemptStatus.CREATING);
        assertThat(attempt.amount().minorUnits()).isEqualTo(9400);
        assertThat(attempt.idempotencyKey()).startsWith(installId() + "-checkout-");
        assertThat(stock()).isEqualTo(24);
        assertThat(jdbc.sql("SELECT live_attempt_id FROM orders WHERE id = ?").param(order).query(Long.class).single()).isEqualTo(attempt.id());
        assertThat(checkouts.begin(cart(), payer, CheckoutAttempt.Integration.HOSTED)).as("one live attempt per order").isEmpty();
        assertThat(stock()).isEqualTo(24);
    }

    /**
     * The pool closes its connections in time and opens new ones, among them the one the schema's migrations ran on.
     * On H2 a CHECK constraint with an IN list then refused every row it checked ("Check constraint invalid"): on a new
     * store's first run, Pay failed once the pool had renewed its connections. The rule itself still holds after.
     */
    @Test
    void attemptsAreStillRecordedOnceThePoolHasReplacedEveryConnection() {
        dataSource.getHikariPoolMXBean().softEvictConnections();

        CheckoutAttempt attempt = checkouts.begin(cart(), payer, CheckoutAttempt.Integration.EMBEDDED).orElseThrow();
        assertThat(attempt.status()).isEqualTo(AttemptStatus.CREATING);
        assertThat(stock()).isEqualTo(24);
        assertThatThrownBy(() -> jdbc.sql("UPDATE checkout_attempts SET status = 'paid' WHERE id = ?").param(attempt.id()).update())
                .as("a paid attempt that is still its order's live one").isInstanceOf(DataIntegrityViolationException.class)
                .satisfies(refused -> assertThat(refused.getMessage().toLowerCase()).contains("checkout_attempts_live_matches", "violat"));
        jdbc.sql("UPDATE checkout_attempts SET status = 'closed', live_order_id = NULL WHERE id = ?").param(attempt.id()).update();
        assertThat(jdbc.sql("SELECT status FROM checkout_attempts WHERE id = ?").param(attempt.id()).query(String.class).single())
                .isEqualTo("closed");
    }

    @Test
    void anAttemptIsRefusedWhenTheStockRanOutAndNothingIsRecorded() {
        jdbc.sql("UPDATE books SET stock = 1 WHERE id = ?").param(book).update();

        assertThatThrownBy(this::begin).isInstanceOf(CheckoutRefused.class).hasMessageContaining("not enough copies");
        assertThat(stock()).isEqualTo(1);
        assertThat(attempts.liveFor(order)).isEmpty();
        assertThat(jdbc.sql("SELECT live_attempt_id FROM orders WHERE id = ?").param(order).query(Long.class).optional()).isEmpty();
    }

    @Test
    void eightCallersApplyingTheSamePaymentAtOnceMakeOnePaidTransition() throws Exception {
        CheckoutAttempt attempt = begin();
        StripePayment succeeded = payment("succeeded", 9400, null);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(8);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            attempts.lock(attempt.id());
            locked.countDown();
            await(release);
        }));
        assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<AttemptStatus>> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            callers.add(CompletableFuture.supplyAsync(() -> {
                arrived.countDown();
                return settlement.apply(attempt.id(), succeeded, "caller").status();
            }));
        }
        assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(callers).as("every caller waits on the attempt's lock").noneMatch(CompletableFuture::isDone);

        release.countDown();
        holder.join();

        assertThat(callers.stream().map(CompletableFuture::join)).containsOnly(AttemptStatus.PAID);
        assertThat(orderStatus()).isEqualTo("paid");
        assertThat(transitions()).containsExactly("pending", "paid");
        assertThat(stock()).as("paid from the reserved stock: taken once").isEqualTo(24);
        assertThat(attempts.find(attempt.id()).orElseThrow().chargeId()).isEqualTo("ch_ok");
    }

    @Test
    void lateNewsNeverMovesAPaidOrderBack() {
        CheckoutAttempt attempt = begin();
        settlement.apply(attempt.id(), payment("succeeded", 9400, null), "succeeded");

        settlement.apply(attempt.id(), payment("requires_payment_method", 0, null), "late created");
        settlement.apply(attempt.id(), payment("requires_payment_method", 0, declined("ch_late", "Your card was declined.")), "late failure");
        settlement.apply(attempt.id(), payment("canceled", 0, null), "late cancel");

        assertThat(orderStatus()).isEqualTo("paid");
        assertThat(attempts.find(attempt.id()).orElseThrow().status()).isEqualTo(AttemptStatus.PAID);
        assertThat(stock()).isEqualTo(24);
    }

    @Test
    void everyFailureReasonIsKeptAndTheBuyerReadsTheLatest() {
        CheckoutAttempt attempt = begin();
        settlement.apply(attempt.id(), payment("requires_payment_method", 0, declined("ch_1", "Your card was declined.")), "evt_1");
        settlement.apply(attempt.id(), payment("requires_payment_method", 0, declined("ch_2", "Your card has insufficient funds.")), "evt_2");
        settlement.apply(attempt.id(), payment("requires_payment_method", 0, declined("ch_2", "Your card has insufficient funds.")), "evt_2 again");

        Payments.Summary summary = payments.summary(order);
        assertThat(summary.failures()).containsExactly("Your card was declined.", "Your card has insufficient funds.");
        assertThat(summary.failure()).isEqualTo("Your card has insufficient funds.");
        assertThat(orderStatus()).isEqualTo("payment_failed");
    }

    /** One hosted payment page can be declined again and again: every reason is kept, the order's page reads the latest. */
    @Test
    void aPaymentDeclinedManyTimesListsOnlyItsLatestReasons() {
        CheckoutAttempt attempt = begin();
        for (int i = 1; i <= 14; i++) {
            settlement.apply(attempt.id(), payment("requires_payment_method", 0, declined("ch_" + i, "Decline number " + i + ".")), "evt_" + i);
        }

        Payments.Summary summary = payments.summary(order);
        assertThat(summary.failures()).hasSize(Payments.Summary.FAILURES_SHOWN)
                .first().isEqualTo("Decline number 5.");
        assertThat(summary.failures()).last().isEqualTo("Decline number 14.");
        assertThat(summary.failure()).isEqualTo("Decline number 14.");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM payment_failures WHERE attempt_id = ?").param(attempt.id()).query(Integer.class).single())
                .isEqualTo(14);
    }

    @Test
    void aClosedAttemptGivesTheStockBackAndUnlocksTheCart() {
        CheckoutAttempt attempt = begin();
        settlement.apply(attempt.id(), payment("canceled", 0, null), "cancelled");

        assertThat(stock()).isEqualTo(26);
        assertThat(orderStatus()).isEqualTo("cart");
        assertThat(jdbc.sql("SELECT live_attempt_id FROM orders WHERE id = ?").param(order).query(Long.class).optional()).isEmpty();
        assertThat(attempts.liveFor(order)).isEmpty();
    }

    @Test
    void everyChangeIsInTheTimelineWithItsCauseAndPlainWords() {
        CheckoutAttempt attempt = begin();
        settlement.apply(attempt.id(), payment("requires_payment_method", 0, null), "evt_1 payment_intent.created");
        settlement.apply(attempt.id(), payment("requires_payment_method", 0, declined("ch_1", "Your card was declined.")),
                "evt_2 payment_intent.payment_failed");
        settlement.apply(attempt.id(), payment("succeeded", 9400, null), "evt_3 payment_intent.succeeded");

        assertThat(jdbc.sql("SELECT to_status || ' | ' || cause || ' | ' || detail FROM order_status_changes WHERE order_id = ? ORDER BY id")
                .param(order).query(String.class).list()).containsExactly(
                "cart | checkout attempt " + attempt.id() + " | Checkout started for $94.00",
                "pending | evt_1 payment_intent.created | Payment started",
                "payment_failed | evt_2 payment_intent.payment_failed | The payment did not go through: Your card was declined.",
                "paid | evt_3 payment_intent.succeeded | Paid $94.00");
    }

    @Test
    void anOlderReadingNeverOverwritesANewerOne() {
        CheckoutAttempt attempt = begin();
        Instant now = Instant.now();
        settlement.apply(attempt.id(), new StripePayment(now, null, intent("requires_action", 0, null)), "newer");
        settlement.apply(attempt.id(), new StripePayment(now.minusSeconds(5), null, intent("requires_payment_method", 0,
                declined("ch_old", "Your card was declined."))), "older");

        assertThat(attempts.find(attempt.id()).orElseThrow().status()).isEqualTo(AttemptStatus.REQUIRES_ACTION);
    }

    private CheckoutAttempt begin() {
        CheckoutAttempt attempt = checkouts.begin(cart(), payer, CheckoutAttempt.Integration.EMBEDDED).orElseThrow();
        // What Stripe made for it, as if it had just answered.
        jdbc.sql("UPDATE checkout_attempts SET payment_intent_id = ?, status = 'open' WHERE id = ?")
                .params("pi_" + UUID.randomUUID().toString().replace("-", ""), attempt.id()).update();
        return attempts.find(attempt.id()).orElseThrow();
    }

    private PayableOrder cart() {
        return orders.cartOf(account).orElseThrow();
    }

    private StripePayment payment(String status, long received, Failure error) {
        return new StripePayment(Instant.now(), null, intent(status, received, error));
    }

    private IntentState intent(String status, long received, Failure error) {
        String id = jdbc.sql("SELECT payment_intent_id FROM checkout_attempts WHERE order_id = ?").param(order).query(String.class).single();
        return new IntentState(id, status, received, "usd", "automatic_async", status.equals("succeeded") ? "ch_ok" : null, error);
    }

    private static Failure declined(String charge, String message) {
        return new Failure("card_error", "card_declined", "generic_decline", message, charge, "pm_1");
    }

    private List<String> transitions() {
        return jdbc.sql("SELECT to_status FROM order_status_changes WHERE order_id = ? AND from_status <> to_status ORDER BY id")
                .param(order).query(String.class).list();
    }

    private String orderStatus() {
        return jdbc.sql("SELECT status FROM orders WHERE id = ?").param(order).query(String.class).single();
    }

    private int stock() {
        return jdbc.sql("SELECT stock FROM books WHERE id = ?").param(book).query(Integer.class).single();
    }

    private String installId() {
        return jdbc.sql("SELECT install_id FROM installation").query(String.class).single();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
