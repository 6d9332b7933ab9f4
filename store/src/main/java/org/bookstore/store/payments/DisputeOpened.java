package org.bookstore.store.payments;

import java.time.Instant;
import org.bookstore.store.common.Money;

/** The buyer's bank disputed the order's payment; evidence is due by {@code evidenceDueBy}. */
public record DisputeOpened(long orderId, String disputeId, Money amount, String reason, Instant evidenceDueBy, String cause) {
}
