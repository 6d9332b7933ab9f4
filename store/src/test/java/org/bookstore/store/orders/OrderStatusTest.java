package org.bookstore.store.orders;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrderStatusTest {

    @Test
    void aCartMovesForwardToPendingFailedOrPaid() {
        assertThat(OrderStatus.CART.canMoveTo(OrderStatus.PENDING)).isTrue();
        assertThat(OrderStatus.CART.canMoveTo(OrderStatus.PAID)).as("succeeded can arrive before created").isTrue();
        assertThat(OrderStatus.PENDING.canMoveTo(OrderStatus.PAID)).isTrue();
        assertThat(OrderStatus.PENDING.canMoveTo(OrderStatus.PAYMENT_FAILED)).isTrue();
        assertThat(OrderStatus.PAYMENT_FAILED.canMoveTo(OrderStatus.PAID)).as("paying again after a decline").isTrue();
    }

    @Test
    void aLateEventNeverMovesAnOrderBack() {
        assertThat(OrderStatus.PAYMENT_FAILED.canMoveTo(OrderStatus.PENDING)).isFalse();
        assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.PENDING)).isFalse();
        assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.PAYMENT_FAILED)).isFalse();
    }

    @Test
    void anExpiredCheckoutGivesTheCartBackButNeverAPaidOrder() {
        assertThat(OrderStatus.PENDING.canMoveTo(OrderStatus.CART)).isTrue();
        assertThat(OrderStatus.PAYMENT_FAILED.canMoveTo(OrderStatus.CART)).isTrue();
        assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.CART)).isFalse();
    }

    @Test
    void aPaidOrderMovesOnlyOnToItsRefunds() {
        for (OrderStatus next : OrderStatus.values()) {
            assertThat(OrderStatus.PAID.canMoveTo(next)).as("paid -> %s", next)
                    .isEqualTo(next == OrderStatus.PARTIALLY_REFUNDED || next == OrderStatus.REFUNDED);
            assertThat(OrderStatus.PARTIALLY_REFUNDED.canMoveTo(next)).as("partially refunded -> %s", next)
                    .isEqualTo(next == OrderStatus.REFUNDED);
        }
        assertThat(OrderStatus.PARTIALLY_REFUNDED.isFinal()).as("no payment event moves it").isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = OrderStatus.class, names = {"CANCELLED", "REFUNDED"})
    void finalStatusesNeverReopen(OrderStatus status) {
        assertThat(status.isFinal()).isTrue();
        for (OrderStatus next : OrderStatus.values()) {
            assertThat(status.canMoveTo(next)).as("%s -> %s", status, next).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(OrderStatus.class)
    void codesRoundTrip(OrderStatus status) {
        assertThat(OrderStatus.fromCode(status.code())).isEqualTo(status);
    }
}
