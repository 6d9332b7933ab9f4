package org.bookstore.store.payments.web;

import java.util.Map;
import java.util.Optional;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.common.NotFoundException;
import org.bookstore.store.payments.CheckoutRefused;
import org.bookstore.store.payments.PayableOrder;
import org.bookstore.store.payments.PayableOrders;
import org.bookstore.store.payments.Payments;
import org.bookstore.store.payments.Payments.Payer;
import org.bookstore.store.payments.PaymentsUnavailable;
import org.bookstore.store.payments.stripe.StripeAccess;
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
import org.springframework.web.servlet.view.RedirectView;

/**
 * The buyer's side of paying: the checkout page (what will be charged, and "Pay"), the hosted page's redirect, the
 * store page's PaymentIntent, the pages Stripe sends the buyer back to, and "cancel and return to cart". Amounts
 * always come from the database; what the browser says about a payment is only ever a hint to ask Stripe.
 */
@Controller
class CheckoutController {

    private final Payments payments;
    private final PayableOrders orders;
    private final CheckoutSettings settings;
    private final StripeAccess stripe;

    CheckoutController(Payments payments, PayableOrders orders, CheckoutSettings settings, StripeAccess stripe) {
        this.payments = payments;
        this.orders = orders;
        this.settings = settings;
        this.stripe = stripe;
    }

    /**
     * What will be charged, and the way to pay it: a "Pay" button to Stripe's hosted page, or (embedded) the
     * Payment Element. With {@code ?order=} the embedded page goes on paying an order already placed.
     */
    @GetMapping("/checkout")
    String checkout(@RequestParam(name = "order", required = false) String orderId, @AuthenticationPrincipal BuyerPrincipal buyer,
            Model model, RedirectAttributes redirect) {
        Optional<PayableOrder> payable = orderId != null && settings.embedded() ? placed(orderId, buyer) : cart(buyer);
        if (payable.isEmpty()) {
            redirect.addFlashAttribute("error", "Your cart is empty: add a book before checking out.");
            return "redirect:/cart";
        }
        model.addAttribute("order", payable.get());
        if (!settings.embedded()) {
            return "payments/checkout";
        }
        model.addAttribute("cartDigest", Payments.contentsDigest(payable.get()));
        model.addAttribute("publishableKey", stripe.publishableKey());
        model.addAttribute("stripeJsUrl", stripe.stripeJsUrl());
        return "payments/embedded";
    }

    /** Sends the buyer to Stripe's hosted page with a 303; the amount comes from the database, never the form. */
    @PostMapping("/checkout/pay")
    View pay(@AuthenticationPrincipal BuyerPrincipal buyer, RedirectAttributes redirect) {
        try {
            RedirectView hostedPage = new RedirectView(payments.payOnHostedPage(payer(buyer)));
            hostedPage.setStatusCode(HttpStatus.SEE_OTHER);
            return hostedPage;
        } catch (PaymentsUnavailable e) {
            redirect.addFlashAttribute("error", PaymentsUnavailable.MESSAGE);
            return new RedirectView("/checkout");
        } catch (CheckoutRefused e) {
            redirect.addFlashAttribute("error", e.getMessage());
            return new RedirectView(where(e, "/checkout"));
        }
    }

    /**
     * The store page's "Pay": the client secret of the order's PaymentIntent, made from the database's amount.
     * Answers JSON the page's script shows as it is: an error message, or where to go instead.
     */
    @PostMapping(path = "/checkout/payment-intent", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> paymentIntent(@RequestParam(name = "orderId", required = false) String orderId,
            @RequestParam(name = "cartDigest", required = false) String cartDigest, @AuthenticationPrincipal BuyerPrincipal buyer) {
        Optional<Long> id = number(orderId);
        if (id.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "We could not find that order among yours."));
        }
        try {
            String clientSecret = payments.payOnStorePage(payer(buyer), id.get(), cartDigest);
            return ResponseEntity.ok(Map.of("clientSecret", clientSecret, "orderId", id.get()));
        } catch (NotFoundException e) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
        } catch (PaymentsUnavailable e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", PaymentsUnavailable.MESSAGE));
        } catch (CheckoutRefused e) {
            if (e.next() == CheckoutRefused.Next.STAY) {
                return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage(), "reload", true));
            }
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage(), "redirect", where(e, "/cart")));
        }
    }

    /**
     * Where Stripe sends the buyer after paying. The session must be one the store made for this buyer (else 404);
     * the payment is checked with Stripe on the server, and the buyer sees their order.
     */
    @GetMapping("/checkout/success")
    String success(@RequestParam(name = "session_id", required = false) String sessionId, @AuthenticationPrincipal BuyerPrincipal buyer) {
        long order = payments.returnFromHostedPage(payer(buyer), sessionId)
                .orElseThrow(() -> new NotFoundException("We could not find that payment among your orders."));
        return "redirect:/orders/" + order;
    }

    /**
     * Where the store's page (or Stripe, after 3-D Secure) returns: {@code payment_intent} names the payment, which is
     * read from Stripe; the browser's {@code redirect_status} is never taken as proof of payment.
     */
    @GetMapping("/checkout/complete")
    String complete(@RequestParam(name = "payment_intent", required = false) String paymentIntentId,
            @AuthenticationPrincipal BuyerPrincipal buyer) {
        long order = payments.returnFromStorePage(payer(buyer), paymentIntentId)
                .orElseThrow(() -> new NotFoundException("We could not find that payment among your orders."));
        return "redirect:/orders/" + order;
    }

    /** "Cancel and return to cart" on an order whose payment is not finished. */
    @PostMapping("/checkout/cancel")
    String cancel(@RequestParam(name = "order", required = false) String orderId, @AuthenticationPrincipal BuyerPrincipal buyer,
            RedirectAttributes redirect) {
        long id = number(orderId).orElseThrow(() -> new NotFoundException("We could not find that order among yours."));
        try {
            payments.cancelByBuyer(payer(buyer), id);
            redirect.addFlashAttribute("notice", "Your payment was cancelled and your books are back in your cart.");
            return "redirect:/cart";
        } catch (PaymentsUnavailable e) {
            redirect.addFlashAttribute("error", "We could not reach Stripe to cancel the payment. Nothing was changed; "
                    + "please try again in a moment.");
        } catch (CheckoutRefused e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/orders/" + id;
    }

    private Optional<PayableOrder> placed(String orderId, BuyerPrincipal buyer) {
        return number(orderId).flatMap(orders::find).filter(order -> order.accountId() == buyer.accountId())
                .filter(order -> !order.cart() && payments.summary(order.orderId()).continueUrl() != null);
    }

    private Optional<PayableOrder> cart(BuyerPrincipal buyer) {
        return orders.cartOf(buyer.accountId()).filter(order -> !order.isEmpty());
    }

    private static String where(CheckoutRefused refused, String stay) {
        return switch (refused.next()) {
            case CART -> "/cart";
            case ORDER -> refused.orderId() != null ? "/orders/" + refused.orderId() : "/orders";
            case STAY -> stay;
        };
    }

    private static Optional<Long> number(String text) {
        return text != null && text.matches("\\d{1,18}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
    }

    static Payer payer(BuyerPrincipal buyer) {
        return new Payer(buyer.accountId(), buyer.email(), buyer.getDisplayName());
    }
}
