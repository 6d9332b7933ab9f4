package org.bookstore.store.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import com.stripe.param.RefundCreateParams;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;

/**
 * Stripe's refund and dispute webhooks arrive at least once and in any order: duplicated, reversed or late, they end
 * in one correct state, each change told to the order once.
 */
class RefundAndDisputeWebhooksTest extends BackOfficeScenarios {

    @Test
    void duplicatedRefundWebhooksRefundOnce() throws Exception {
        Paid paid = paidOrder(VISA);
        emulator().duplicateNextEvents(50);

        stripe.client().v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(intentOf(paid.orderId())).setAmount(2000L).build());

        eventually("partially refunded", () -> "partially_refunded".equals(status(paid.orderId())));
        eventually("every duplicate was delivered", () -> emulator().deliveryAttempts().stream()
                .filter(attempt -> attempt.eventType().equals("charge.refunded")).count() >= 2);
        assertThat(timelineEntries(paid.orderId(), "Refund of $20.00 started")).isEqualTo(1);
        assertThat(timelineEntries(paid.orderId(), "Refunded $20.00")).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refunds WHERE order_id = ?").param(paid.orderId()).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void refundWebhooksInReverseOrderEndSucceeded() {
        Paid paid = paidOrder(REFUND_PENDING);
        emulator().holdEvents();
        HttpVisitor admin = admin();
        refund(admin, paid.orderId(), "amount", "8.00", "reason", "requested_by_customer");
        emulator().advanceClock(5);
        eventually("Stripe's refund succeeded", () -> emulator().objectsJson("refund").stream().anyMatch(json -> json.contains("\"succeeded\"")));

        emulator().releaseEvents(true);

        eventually("the refund succeeded", () -> "succeeded".equals(refundStatus(paid.orderId())));
        eventually("every held event was handled", () -> emulator().heldEventCount() == 0);
        eventually("partially refunded", () -> "partially_refunded".equals(status(paid.orderId())));
        assertThat(transitionsTo(paid.orderId(), "partially_refunded")).isEqualTo(1);
        assertThat(timelineEntries(paid.orderId(), "Refunded $8.00")).isEqualTo(1);
    }

    @Test
    void lateRefundWebhooksStillShowARefundMadeOutsideTheStore() throws Exception {
        Paid paid = paidOrder(VISA);
        emulator().delayNextEvents(50, 1_500);

        stripe.client().v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(intentOf(paid.orderId())).build());

        eventually("refunded in full", () -> "refunded".equals(status(paid.orderId())));
        assertThat(transitionsTo(paid.orderId(), "refunded")).isEqualTo(1);
    }

    @Test
    void disputeWebhooksDuplicatedAndReversedOpenAndCloseItOnce() {
        Paid paid = paidOrder(DISPUTED);
        emulator().holdEvents();
        emulator().advanceClock(5);
        eventually("Stripe opened the dispute", () -> !emulator().objectsJson("dispute").isEmpty());
        String dispute = emulator().objectsJson("dispute").get(0).replaceAll("(?s).*\"id\":\"(dp_\\w+)\".*", "$1");
        emulator().releaseEvents(false);
        eventually("the dispute is recorded", () -> disputeStatus(paid.orderId()) != null);

        emulator().duplicateNextEvents(50);
        emulator().reorderNextEvents(3);
        HttpVisitor admin = admin();
        admin.get("/admin/orders/" + paid.orderId());
        admin.post("/admin/orders/" + paid.orderId() + "/disputes/" + dispute + "/evidence", "customerCommunication", "winning_evidence",
                "submit", "true");
        emulator().advanceClock(5);

        eventually("the dispute is won", () -> "won".equals(disputeStatus(paid.orderId())));
        eventually("the reinstated funds are known", () -> jdbc.sql("SELECT funds_reinstated FROM disputes WHERE order_id = ?")
                .param(paid.orderId()).query(Boolean.class).single());
        eventually("every event was handled", () -> emulator().heldEventCount() == 0);
        assertThat(timelineEntries(paid.orderId(), "Payment disputed")).isEqualTo(1);
        assertThat(timelineEntries(paid.orderId(), "Dispute closed: won")).isEqualTo(1);
        assertThat(status(paid.orderId())).isEqualTo("paid");
    }

    private int timelineEntries(long orderId, String detail) {
        return jdbc.sql("SELECT COUNT(*) FROM order_status_changes WHERE order_id = ? AND detail LIKE ?").params(orderId, detail + "%")
                .query(Integer.class).single();
    }

    private String disputeStatus(long orderId) {
        return jdbc.sql("SELECT status FROM disputes WHERE order_id = ?").param(orderId).query(String.class).optional().orElse(null);
    }
}
