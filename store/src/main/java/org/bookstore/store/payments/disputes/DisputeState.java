package org.bookstore.store.payments.disputes;

import com.stripe.model.BalanceTransaction;
import com.stripe.model.Dispute;
import java.time.Instant;
import java.util.List;

/** What Stripe says about one dispute, read from Stripe by the store itself. */
public record DisputeState(String id, String chargeId, String paymentIntentId, long amount, String currency, String reason,
        String status, Instant evidenceDueBy, boolean hasEvidence, int submissionCount, boolean fundsWithdrawn,
        boolean fundsReinstated, Instant created) {

    /** Stripe's statuses after which nothing more can be done about a dispute. */
    public static boolean closed(String status) {
        return "won".equals(status) || "lost".equals(status) || "warning_closed".equals(status) || "prevented".equals(status);
    }

    /** The order Stripe moves a dispute in (an inquiry may become a chargeback), so two racing reads never move it back. */
    static int rank(String status) {
        return switch (String.valueOf(status)) {
            case "warning_needs_response" -> 0;
            case "warning_under_review" -> 1;
            case "needs_response" -> 2;
            case "under_review" -> 3;
            default -> closed(status) ? 4 : 0;
        };
    }

    public static DisputeState of(Dispute dispute) {
        List<BalanceTransaction> moves = dispute.getBalanceTransactions() == null ? List.of() : dispute.getBalanceTransactions();
        Dispute.EvidenceDetails details = dispute.getEvidenceDetails();
        return new DisputeState(dispute.getId(), dispute.getCharge(), dispute.getPaymentIntent(),
                dispute.getAmount() == null ? 0 : dispute.getAmount(), dispute.getCurrency(), dispute.getReason(), dispute.getStatus(),
                details == null || details.getDueBy() == null ? null : Instant.ofEpochSecond(details.getDueBy()),
                details != null && Boolean.TRUE.equals(details.getHasEvidence()),
                details == null || details.getSubmissionCount() == null ? 0 : details.getSubmissionCount().intValue(),
                moves.stream().anyMatch(move -> move.getAmount() != null && move.getAmount() < 0),
                moves.stream().anyMatch(move -> move.getAmount() != null && move.getAmount() > 0),
                dispute.getCreated() == null ? null : Instant.ofEpochSecond(dispute.getCreated()));
    }
}
