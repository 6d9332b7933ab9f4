package org.bookstore.store.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bookstore.store.payments.CheckoutClosed;
import org.bookstore.store.payments.CheckoutRefused;
import org.bookstore.store.payments.CheckoutStarted;
import org.bookstore.store.payments.PayableOrder;
import org.bookstore.store.payments.RefundIssued;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Stock follows checkouts: copies are reserved when a checkout attempt begins (all of them or none, inside the
 * attempt's own transaction, which a shortage undoes) and put back when it ends unpaid. A paid attempt keeps them.
 */
@Component
class StockReservations {

    private final Catalog catalog;

    StockReservations(Catalog catalog) {
        this.catalog = catalog;
    }

    @EventListener
    void on(CheckoutStarted started) {
        try {
            catalog.reserve(quantities(started.lines()));
        } catch (StockShortage shortage) {
            throw CheckoutRefused.outOfStock(shortage.title());
        }
    }

    @EventListener
    void on(CheckoutClosed closed) {
        catalog.release(quantities(closed.lines()));
    }

    /** Books refunded with "put back in stock" return to the shelf when Stripe makes the refund. */
    @EventListener
    void on(RefundIssued issued) {
        catalog.release(quantities(issued.restock()));
    }

    private static Map<Long, Integer> quantities(List<PayableOrder.Line> lines) {
        Map<Long, Integer> quantities = new LinkedHashMap<>();
        lines.forEach(line -> quantities.merge(line.bookId(), line.quantity(), Integer::sum));
        return quantities;
    }
}
