package org.bookstore.store.orders;

import java.util.Optional;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.common.NotFoundException;
import org.bookstore.store.payments.PaymentRecords;
import org.bookstore.store.payments.Payments;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The buyer's orders. Someone else's order does not exist as far as a buyer can tell: 404. */
@Controller
class OrderController {

    private final OrderRepository orders;
    private final Payments payments;
    private final PaymentRecords records;

    OrderController(OrderRepository orders, Payments payments, PaymentRecords records) {
        this.orders = orders;
        this.payments = payments;
        this.records = records;
    }

    @GetMapping("/orders")
    String orders(@AuthenticationPrincipal BuyerPrincipal buyer, Model model) {
        model.addAttribute("orders", orders.findPlacedByAccount(buyer.accountId()));
        return "orders/list";
    }

    @GetMapping("/orders/{id}")
    String order(@PathVariable String id, @AuthenticationPrincipal BuyerPrincipal buyer, Model model) {
        Order order = (id.matches("\\d{1,18}") ? orders.findById(Long.parseLong(id)) : Optional.<Order>empty())
                .filter(found -> found.belongsTo(buyer.accountId()))
                .orElseThrow(() -> new NotFoundException("We could not find that order among yours."));
        Payments.Summary payment = payments.summary(order.id());
        model.addAttribute("order", order);
        model.addAttribute("payment", payment);
        model.addAttribute("timeline", orders.timeline(order.id()));
        model.addAttribute("earlierTimelineEntries", orders.earlierTimelineEntries(order.id()));
        // Refunds the shop made, in the buyer's words; one Stripe refused outright never reached them.
        model.addAttribute("refunds", records.refunds(order.id()).stream().filter(refund -> !"refused".equals(refund.status())).toList());
        // While the payment is on its way with nothing for the buyer to do, the page follows it by itself.
        boolean placed = order.status() == OrderStatus.PENDING || order.status() == OrderStatus.PAYMENT_FAILED;
        if (placed && payment.continueUrl() == null) {
            model.addAttribute("refreshSeconds", 3);
        }
        return "orders/order";
    }
}
