package org.bookstore.store.payments.refunds;

import java.time.Instant;
import java.util.List;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.PayableOrder;

/** One refund as the store keeps it: a back-office request (before and after Stripe answers) or a refund made outside. */
public record RefundRecord(long id, long orderId, long attemptId, String refundId, Money amount, String reason, String status,
        String failureReason, String refusedMessage, String announced, String origin, String requestToken, String requestedBy,
        boolean restock, int tries, boolean lookFirst, Instant createdAt, Instant updatedAt, Instant resolvedAt,
        List<PayableOrder.Line> lines) {

    public RefundRecord {
        lines = List.copyOf(lines);
    }

    RefundRecord withLines(List<PayableOrder.Line> lines) {
        return new RefundRecord(id, orderId, attemptId, refundId, amount, reason, status, failureReason, refusedMessage, announced,
                origin, requestToken, requestedBy, restock, tries, lookFirst, createdAt, updatedAt, resolvedAt, lines);
    }

    /** Asked of Stripe and not answered (or answered with an outage): sending it again is safe. */
    public boolean unanswered() {
        return "sending".equals(status);
    }
}
