package org.bookstore.store.checkout;

import java.util.Optional;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.cart.CartService;
import org.bookstore.store.catalog.StockShortage;
import org.bookstore.store.common.NotFoundException;
import org.bookstore.store.orders.CartOwner;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderPayments;
import org.bookstore.store.orders.OrderRepository;
import org.bookstore.store.payments.HostedCheckout;
import org.bookstore.store.payments.OpenCheckouts;
import org.bookstore.store.payments.PaymentFulfilment;
import org.bookstore.store.payments.PaymentsUnavailable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.servlet.view.RedirectView;

/**
 * Checkout: the page that shows what will be charged, the "Pay" button that sends the buyer to Stripe's hosted
 * payment page, and the success page Stripe sends them back to.
 */
@Controller
class CheckoutController {

    private final CartService carts;
    private final HostedCheckout hostedCheckout;
    private final PaymentFulfilment fulfilment;
    private final OrderRepository orders;

    CheckoutController(CartService carts, HostedCheckout hostedCheckout, PaymentFulfilment fulfilment, OrderRepository orders) {
        this.carts = carts;
        this.hostedCheckout = hostedCheckout;
        this.fulfilment = fulfilment;
        this.orders = orders;
    }

    @GetMapping("/checkout")
    String checkout(@AuthenticationPrincipal BuyerPrincipal buyer, Model model, RedirectAttributes redirect) {
        Optional<Order> cart = cart(buyer);
        if (cart.isEmpty()) {
            redirect.addFlashAttribute("error", "Your cart is empty: add a book before checking out.");
            return "redirect:/cart";
        }
        model.addAttribute("order", cart.get());
        return "checkout/checkout";
    }

    /** Sends the buyer to Stripe's hosted page with a 303; the amount comes from the database, never the form. */
    @PostMapping("/checkout/pay")
    View pay(@AuthenticationPrincipal BuyerPrincipal buyer, RedirectAttributes redirect) {
        Optional<Order> cart = cart(buyer);
        if (cart.isEmpty()) {
            redirect.addFlashAttribute("error", "Your cart is empty: add a book before checking out.");
            return new RedirectView("/cart");
        }
        try {
            String storeUrl = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
            RedirectView hostedPage = new RedirectView(hostedCheckout.paymentPage(cart.get(), buyer, storeUrl));
            hostedPage.setStatusCode(HttpStatus.SEE_OTHER);
            return hostedPage;
        } catch (PaymentsUnavailable e) {
            redirect.addFlashAttribute("error", PaymentsUnavailable.MESSAGE);
            return new RedirectView("/checkout");
        } catch (StockShortage e) {
            redirect.addFlashAttribute("error", "Sorry, not enough copies of \u201c" + e.title()
                    + "\u201d are left for your order. Please change the quantity and try again.");
            return new RedirectView("/cart");
        } catch (OrderPayments.NotPayable | OpenCheckouts.AlreadyPaid e) {
            redirect.addFlashAttribute("error", e.getMessage());
            return new RedirectView("/orders");
        }
    }

    /**
     * Where Stripe sends the buyer after paying. The session must be one of this buyer's orders (else 404); the
     * payment is checked with Stripe on the server, and the buyer sees their order.
     */
    @GetMapping("/checkout/success")
    String success(@RequestParam(name = "session_id", required = false) String sessionId, @AuthenticationPrincipal BuyerPrincipal buyer) {
        Order order = Optional.ofNullable(sessionId).flatMap(orders::findByCheckoutSession)
                .filter(found -> found.belongsTo(buyer.accountId()))
                .orElseThrow(() -> new NotFoundException("We could not find that payment among your orders."));
        try {
            fulfilment.fulfilCheckoutSession(sessionId, "success page for " + sessionId);
        } catch (PaymentsUnavailable e) {
            // The webhook will bring the news; the order page says the payment is processing until then.
        }
        return "redirect:/orders/" + order.id();
    }

    private Optional<Order> cart(BuyerPrincipal buyer) {
        return carts.cart(CartOwner.account(buyer.accountId())).filter(order -> !order.isEmpty());
    }
}
