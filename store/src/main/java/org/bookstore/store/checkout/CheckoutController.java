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
import java.util.Map;
import org.bookstore.store.orders.OrderStatus;
import org.bookstore.store.payments.CartDigest;
import org.bookstore.store.payments.EmbeddedPayment;
import org.bookstore.store.payments.StripeAccess;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
    private final EmbeddedPayment embeddedPayment;
    private final PaymentFulfilment fulfilment;
    private final OrderRepository orders;
    private final CheckoutSettings settings;
    private final StripeAccess stripe;

    CheckoutController(CartService carts, HostedCheckout hostedCheckout, EmbeddedPayment embeddedPayment,
            PaymentFulfilment fulfilment, OrderRepository orders, CheckoutSettings settings, StripeAccess stripe) {
        this.carts = carts;
        this.hostedCheckout = hostedCheckout;
        this.embeddedPayment = embeddedPayment;
        this.fulfilment = fulfilment;
        this.orders = orders;
        this.settings = settings;
        this.stripe = stripe;
    }

    /**
     * What will be charged, and the way to pay it: a "Pay" button to Stripe's hosted page, or (embedded) the
     * Payment Element. With {@code ?order=} the embedded page pays an order whose payment failed.
     */
    @GetMapping("/checkout")
    String checkout(@RequestParam(name = "order", required = false) String orderId, @AuthenticationPrincipal BuyerPrincipal buyer,
            Model model, RedirectAttributes redirect) {
        Optional<Order> payable = orderId != null && settings.embedded() ? retryable(orderId, buyer) : cart(buyer);
        if (payable.isEmpty()) {
            redirect.addFlashAttribute("error", "Your cart is empty: add a book before checking out.");
            return "redirect:/cart";
        }
        model.addAttribute("order", payable.get());
        if (!settings.embedded()) {
            return "checkout/checkout";
        }
        model.addAttribute("cartDigest", CartDigest.of(payable.get()));
        model.addAttribute("publishableKey", stripe.publishableKey());
        model.addAttribute("stripeJsUrl", stripe.stripeJsUrl());
        return "checkout/embedded";
    }

    /**
     * The embedded page's "Pay": the client secret of the order's PaymentIntent, made from the database's amount.
     * Answers JSON the page's script shows as it is: an error message, or where to go instead.
     */
    @PostMapping(path = "/checkout/payment-intent", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> paymentIntent(@RequestParam(name = "orderId", required = false) String orderId,
            @RequestParam(name = "cartDigest", required = false) String cartDigest, @AuthenticationPrincipal BuyerPrincipal buyer) {
        Optional<Order> order = Optional.ofNullable(orderId).filter(id -> id.matches("\\d{1,18}")).map(Long::parseLong)
                .flatMap(orders::findById).filter(found -> found.belongsTo(buyer.accountId()));
        if (order.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "We could not find that order among yours."));
        }
        try {
            String clientSecret = embeddedPayment.clientSecret(order.get(), buyer, cartDigest);
            return ResponseEntity.ok(Map.of("clientSecret", clientSecret, "orderId", order.get().id()));
        } catch (EmbeddedPayment.CartChanged e) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage(), "reload", true));
        } catch (PaymentsUnavailable e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", PaymentsUnavailable.MESSAGE));
        } catch (StockShortage e) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "Sorry, not enough copies of \u201c" + e.title()
                    + "\u201d are left for your order. Please change the quantity in your cart.", "redirect", "/cart"));
        } catch (OrderPayments.NotPayable | OpenCheckouts.AlreadyPaid e) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage(), "redirect", "/orders/" + order.get().id()));
        }
    }

    /**
     * Where the embedded page (or Stripe, after a redirect) returns: {@code payment_intent} names the payment, which
     * is retrieved server-side; the browser's {@code redirect_status} is never taken as proof of payment.
     */
    @GetMapping("/checkout/complete")
    String complete(@RequestParam(name = "payment_intent", required = false) String paymentIntentId,
            @AuthenticationPrincipal BuyerPrincipal buyer) {
        Order order = Optional.ofNullable(paymentIntentId).flatMap(orders::findByPaymentIntent)
                .filter(found -> found.belongsTo(buyer.accountId()))
                .orElseThrow(() -> new NotFoundException("We could not find that payment among your orders."));
        try {
            fulfilment.fulfilPaymentIntent(paymentIntentId, "payment page return for " + paymentIntentId);
        } catch (PaymentsUnavailable e) {
            // The webhook will bring the news; the order page says the payment is processing until then.
        }
        return "redirect:/orders/" + order.id();
    }

    private Optional<Order> retryable(String orderId, BuyerPrincipal buyer) {
        return Optional.of(orderId).filter(id -> id.matches("\\d{1,18}")).map(Long::parseLong).flatMap(orders::findById)
                .filter(order -> order.belongsTo(buyer.accountId()))
                .filter(order -> order.status() == OrderStatus.PENDING || order.status() == OrderStatus.PAYMENT_FAILED);
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
