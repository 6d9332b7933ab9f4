package org.bookstore.store.payments.refunds;

import com.stripe.model.Refund;
import java.time.Instant;
import java.util.Map;

/** What Stripe says about one refund at one moment: read from Stripe by the store itself, never taken from an event. */
public record RefundState(String id, String status, long amount, String currency, String chargeId, String paymentIntentId,
        String reason, String failureReason, String requestNumber, Instant created) {

    static final String REQUEST = "refund_request";

    public static RefundState of(Refund refund) {
        Map<String, String> metadata = refund.getMetadata();
        return new RefundState(refund.getId(), refund.getStatus(), refund.getAmount() == null ? 0 : refund.getAmount(),
                refund.getCurrency(), refund.getCharge(), refund.getPaymentIntent(), refund.getReason(), refund.getFailureReason(),
                metadata == null ? null : metadata.get(REQUEST),
                refund.getCreated() == null ? null : Instant.ofEpochSecond(refund.getCreated()));
    }
}
