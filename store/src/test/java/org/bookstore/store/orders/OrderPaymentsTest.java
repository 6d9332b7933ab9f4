package org.bookstore.store.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.bookstore.store.catalog.StockShortage;
import org.bookstore.store.common.Money;
import org.bookstore.store.support.StoreTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The order's payment state machine against the database; {@link OrderPaymentsOnPostgresTest} runs it on PostgreSQL. */
@StoreTest
class OrderPaymentsTest {

    @Autowired
    OrderPayments payments;
    @Autowired
    OrderRepository orders;
    @Autowired
    JdbcClient jdbc;

    private long account;
    private long book;
    private long order;

    @BeforeEach
    void anAccountWithACartOfTwoBooks() {
        String email = "payments-" + UUID.randomUUID() + "@example.com";
        jdbc.sql("INSERT INTO accounts (email, name, password_hash) VALUES (?, 'Payments', '{noop}x')").param(email).update();
        account = jdbc.sql("SELECT id FROM accounts WHERE email = ?").param(email).query(Long.class).single();
        book = jdbc.sql("SELECT id FROM books WHERE slug = 'refactoring'").query(Long.class).single();
        jdbc.sql("UPDATE books SET stock = 26 WHERE id = ?").param(book).update();
        order = orders.openCart(CartOwner.account(account), java.util.Currency.getInstance("USD"));
        orders.putLine(order, book, "Refactoring", Money.of(4700, "USD"), 2);
    }

    @Test
    void startingCheckoutFixesTheAmountAndReservesTheStockOnce() {
        OrderPayments.CheckoutAttempt first = payments.beginCheckout(order);
        OrderPayments.CheckoutAttempt again = payments.beginCheckout(order);

        assertThat(first.order().amountDue()).isEqualTo(Money.of(9400, "USD"));
        assertThat(again.attempt()).as("a second click joins the same attempt").isEqualTo(first.attempt());
        assertThat(stock()).isEqualTo(24);
    }

    @Test
    void checkoutIsRefusedWhenTheStockRanOutAndNothingIsReserved() {
        jdbc.sql("UPDATE books SET stock = 1 WHERE id = ?").param(book).update();
        assertThatThrownBy(() -> payments.beginCheckout(order)).isInstanceOf(StockShortage.class);
        assertThat(stock()).isEqualTo(1);
        assertThat(orders.findById(order).orElseThrow().payment().stockReserved()).isFalse();
    }

    @Test
    void aPaymentForAnotherAmountNeverMarksTheOrderPaid() {
        payments.beginCheckout(order);
        assertThat(payments.paid(order, "pi_wrong_amount_" + order, "ch_x", Money.of(100, "USD"), "test")).isFalse();
        Order unpaid = orders.findById(order).orElseThrow();
        assertThat(unpaid.status()).isEqualTo(OrderStatus.CART);
        assertThat(unpaid.payment().error()).contains("does not match");
        assertThat(payments.paid(order, "pi_wrong_currency_" + order, "ch_y", Money.of(9400, "EUR"), "test")).isFalse();
    }

    @Test
    void paidIsRecordedOnceWithTheChargeEvenWhenManyCallersConfirmAtOnce() throws Exception {
        payments.beginCheckout(order);
        String intent = "pi_" + UUID.randomUUID().toString().replace("-", "");
        List<Boolean> results = OrderRepositoryTest.runConcurrently(8,
                () -> payments.paid(order, intent, "ch_concurrent", Money.of(9400, "USD"), "caller"));

        assertThat(results).containsOnlyOnce(true);
        Order paid = orders.findById(order).orElseThrow();
        assertThat(paid.status()).isEqualTo(OrderStatus.PAID);
        assertThat(paid.payment().chargeId()).isEqualTo("ch_concurrent");
        assertThat(orders.timeline(order)).filteredOn(change -> change.to() == OrderStatus.PAID).hasSize(1);
        assertThat(stock()).as("paid from reserved stock: taken once").isEqualTo(24);
    }

    @Test
    void aLateCreatedOrFailedEventNeverMovesAPaidOrderBack() {
        payments.beginCheckout(order);
        String intent = "pi_" + UUID.randomUUID().toString().replace("-", "");
        payments.paid(order, intent, "ch_1", Money.of(9400, "USD"), "succeeded");

        assertThat(payments.paymentStarted(order, intent, "late created")).isFalse();
        assertThat(payments.paymentFailed(order, intent, "late failure", "late failed")).isFalse();
        assertThat(orders.findById(order).orElseThrow().status()).isEqualTo(OrderStatus.PAID);
    }

    @Test
    void everyTransitionIsRecordedWithItsCause() {
        OrderPayments.CheckoutAttempt attempt = payments.beginCheckout(order);
        payments.attachCheckoutSession(order, attempt.attempt(), "cs_test_" + order, "http://stripe.test/c/pay/cs");
        String intent = "pi_" + UUID.randomUUID().toString().replace("-", "");
        payments.paymentStarted(order, intent, "evt_1 payment_intent.created");
        payments.paymentFailed(order, intent, "Your card was declined.", "evt_2 payment_intent.payment_failed");
        payments.paid(order, intent, "ch_2", Money.of(9400, "USD"), "evt_3 payment_intent.succeeded");

        assertThat(orders.timeline(order)).extracting(StatusChange::to, StatusChange::cause).containsExactly(
                org.assertj.core.groups.Tuple.tuple(OrderStatus.CART, "checkout cs_test_" + order),
                org.assertj.core.groups.Tuple.tuple(OrderStatus.PENDING, "evt_1 payment_intent.created"),
                org.assertj.core.groups.Tuple.tuple(OrderStatus.PAYMENT_FAILED, "evt_2 payment_intent.payment_failed"),
                org.assertj.core.groups.Tuple.tuple(OrderStatus.PAID, "evt_3 payment_intent.succeeded"));
    }

    @Test
    void anExpiryForASessionThatIsNoLongerTheOrdersIsIgnored() {
        OrderPayments.CheckoutAttempt attempt = payments.beginCheckout(order);
        payments.attachCheckoutSession(order, attempt.attempt(), "cs_current_" + order, "http://stripe.test/c/pay/cs");

        assertThat(payments.checkoutExpired(order, "cs_old_" + order, "old session expired")).isFalse();
        assertThat(orders.findById(order).orElseThrow().payment().checkoutSessionId()).isEqualTo("cs_current_" + order);
        assertThat(stock()).isEqualTo(24);

        assertThat(payments.checkoutExpired(order, "cs_current_" + order, "expired")).isTrue();
        assertThat(orders.findById(order).orElseThrow().payment().checkoutOpen()).isFalse();
        assertThat(stock()).isEqualTo(26);
    }

    private int stock() {
        return jdbc.sql("SELECT stock FROM books WHERE id = ?").param(book).query(Integer.class).single();
    }
}
