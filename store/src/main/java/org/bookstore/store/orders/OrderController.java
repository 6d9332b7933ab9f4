package org.bookstore.store.orders;

import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.common.NotFoundException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The buyer's orders. Someone else's order does not exist as far as a buyer can tell: 404. */
@Controller
class OrderController {

    private final OrderRepository orders;

    OrderController(OrderRepository orders) {
        this.orders = orders;
    }

    @GetMapping("/orders")
    String orders(@AuthenticationPrincipal BuyerPrincipal buyer, Model model) {
        model.addAttribute("orders", orders.findPlacedByAccount(buyer.accountId()));
        return "orders/list";
    }

    @GetMapping("/orders/{id}")
    String order(@PathVariable String id, @AuthenticationPrincipal BuyerPrincipal buyer, Model model) {
        Order order = (id.matches("\\d{1,18}") ? orders.findById(Long.parseLong(id)) : java.util.Optional.<Order>empty())
                .filter(found -> found.belongsTo(buyer.accountId()))
                .orElseThrow(() -> new NotFoundException("We could not find that order among yours."));
        model.addAttribute("order", order);
        model.addAttribute("timeline", orders.timeline(order.id()));
        if (order.status() == OrderStatus.PENDING || (order.status() == OrderStatus.CART && order.payment().checkoutOpen())) {
            model.addAttribute("refreshSeconds", 3);
        }
        return "orders/order";
    }
}
