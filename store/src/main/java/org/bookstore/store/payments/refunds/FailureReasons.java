package org.bookstore.store.payments.refunds;

/** Stripe's refund failure reasons in plain words, for the shop owner and the buyer. */
public final class FailureReasons {

    private FailureReasons() {}

    public static String plain(String status, String failureReason) {
        if ("canceled".equals(status)) {
            return "the refund was cancelled";
        }
        if (failureReason == null) {
            return "the bank did not accept the refund";
        }
        return switch (failureReason) {
            case "expired_or_canceled_card" -> "the card it was paid with has expired or was cancelled";
            case "lost_or_stolen_card" -> "the card it was paid with was reported lost or stolen";
            case "insufficient_funds" -> "the Stripe balance could not cover it";
            case "declined" -> "the bank declined the refund";
            case "merchant_request" -> "the refund was cancelled on request";
            default -> "the bank did not accept the refund (" + failureReason.replace('_', ' ') + ")";
        };
    }
}
