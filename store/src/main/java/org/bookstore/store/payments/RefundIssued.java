package org.bookstore.store.payments;

import java.util.List;
import org.bookstore.store.common.Money;

/**
 * Stripe made a refund of the order's payment (asked by the back office, or made outside the store in Stripe's
 * Dashboard); it may still be pending. {@code restock} are the books to put back on the shelf (empty if none).
 */
public record RefundIssued(long orderId, String refundId, Money amount, String status, List<PayableOrder.Line> restock,
        String requestedBy, String cause) {

    public RefundIssued {
        restock = List.copyOf(restock);
    }
}
