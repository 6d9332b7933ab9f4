package org.bookstore.store.payments.disputes;

import java.time.Instant;
import org.bookstore.store.common.Money;

/** A dispute as the store keeps it, beside its order. */
public record DisputeRecord(long id, String disputeId, long orderId, long attemptId, String chargeId, Money amount, String reason,
        String status, Instant evidenceDueBy, boolean hasEvidence, int submissionCount, boolean fundsWithdrawn,
        boolean fundsReinstated, Instant createdAt, Instant updatedAt) {

    public boolean open() {
        return !DisputeState.closed(status);
    }

    /** Evidence can still be sent: Stripe takes it while the dispute waits for a response. */
    public boolean answerable() {
        return "needs_response".equals(status) || "warning_needs_response".equals(status);
    }
}
