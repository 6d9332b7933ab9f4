package org.bookstore.store.payments.refunds;

import java.util.Set;

/**
 * The one place that decides what a refund becomes from Stripe's current state of it, like the payments' own
 * decision: pure, so the same state read twice, or read after a late event, ends the same way. Stripe's failed and
 * canceled refunds never change again; and each of "succeeded" and "failed" is told to the orders module once.
 */
public final class RefundDecision {

    /** What the store knows of a refund: nothing yet, sent (no answer), or one of Stripe's statuses. */
    static final Set<String> FINAL = Set.of("failed", "canceled", "refused");
    /** Refunds that hold (or may hold) money back from what can still be refunded. */
    static final Set<String> COMMITTED = Set.of("sending", "pending", "requires_action", "succeeded");

    public enum Announce { NONE, SUCCEEDED, FAILED }

    public record Decision(String status, Announce announce, String announced) {
    }

    private RefundDecision() {}

    /** pending or requires_action, then succeeded, then failed or canceled: the order Stripe moves a refund in. */
    static int rank(String status) {
        return switch (String.valueOf(status)) {
            case "pending", "requires_action" -> 1;
            case "succeeded" -> 2;
            case "failed", "canceled", "refused" -> 3;
            default -> 0;
        };
    }

    /** {@code known} is the store's status ({@code null} for a refund it has not seen), {@code announced} what the orders module was told. */
    public static Decision decide(String known, String announced, RefundState seen) {
        // Two reads racing can apply in either order: a refund's status at Stripe only moves forward, so the store's does too.
        String status = known != null && rank(known) > rank(seen.status()) ? known : seen.status();
        if ("succeeded".equals(status) && "none".equals(announced)) {
            return new Decision(status, Announce.SUCCEEDED, "succeeded");
        }
        if (("failed".equals(status) || "canceled".equals(status)) && !"failed".equals(announced)) {
            return new Decision(status, Announce.FAILED, "failed");
        }
        return new Decision(status, Announce.NONE, announced);
    }
}
