package org.bookstore.store.payments;

import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bookstore.store.common.Money;
import org.bookstore.store.common.NotFoundException;
import org.bookstore.store.payments.checkout.AttemptStatus;
import org.bookstore.store.payments.checkout.CartDigest;
import org.bookstore.store.payments.checkout.CheckoutAttempt;
import org.bookstore.store.payments.checkout.CheckoutAttempt.Integration;
import org.bookstore.store.payments.checkout.CheckoutAttempts;
import org.bookstore.store.payments.checkout.Checkouts;
import org.bookstore.store.payments.checkout.StripeCalls;
import org.bookstore.store.payments.stripe.StripeFailures;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What the rest of the store asks of payments: pay a cart on Stripe's hosted page or on the store's own page, come
 * back from paying, end an open checkout before a cart changes, and say where an order's payment stands.
 */
@Service
public class Payments {

    private static final Set<String> CONFIRMABLE = Set.of("requires_payment_method", "requires_confirmation", "requires_action");

    /** The buyer paying, as Stripe's Customer is made for them. */
    public record Payer(long accountId, String email, String name) {
    }

    /**
     * Where an order's payment stands, for its page. {@code continueUrl} is where the buyer can go on paying (Stripe's
     * page, or the store's) while the payment is open; {@code cancellable} says the buyer may give up and have their
     * cart back. {@code failures} are the reasons of its attempt's latest {@value #FAILURES_SHOWN} failed payments,
     * oldest first, in the buyer's words.
     */
    public record Summary(String state, Money amount, Money amountReceived, String chargeId, Instant paidAt, String failure,
            List<String> failures, String continueUrl, boolean cancellable, boolean awaitingBank, boolean needsAction) {

        /** How many of an attempt's latest failures a summary lists. */
        public static final int FAILURES_SHOWN = 10;

        public static final Summary NONE = new Summary("none", null, null, null, null, null, List.of(), null, false, false, false);
    }

    private final PayableOrders orders;
    private final CheckoutAttempts attempts;
    private final Checkouts checkouts;
    private final StripeCalls stripe;
    private final JdbcClient jdbc;

    Payments(PayableOrders orders, CheckoutAttempts attempts, Checkouts checkouts, StripeCalls stripe, JdbcClient jdbc) {
        this.orders = orders;
        this.attempts = attempts;
        this.checkouts = checkouts;
        this.stripe = stripe;
        this.jdbc = jdbc;
    }

    /**
     * The address of Stripe's hosted payment page for the buyer's cart. An attempt already open for the same cart is
     * reused, so a double click or a second tab lands on the same page; anything else open is ended first.
     */
    public String payOnHostedPage(Payer payer) {
        for (int round = 0; round < 4; round++) {
            PayableOrder cart = orders.cartOf(payer.accountId()).filter(order -> !order.isEmpty()).orElseThrow(CheckoutRefused::emptyCart);
            Optional<CheckoutAttempt> live = attempts.liveFor(cart.orderId());
            if (live.isEmpty()) {
                Optional<CheckoutAttempt> begun = checkouts.begin(cart, payer, Integration.HOSTED);
                if (begun.isPresent()) {
                    return checkouts.make(begun.get(), "Pay pressed").url();
                }
                continue;
            }
            CheckoutAttempt attempt = checkouts.adopt(live.get(), "Pay pressed again");
            if (attempt.hosted() && attempt.live() && attempt.contentsDigest().equals(CartDigest.of(cart))) {
                CheckoutAttempt now = checkouts.settle(attempt, "Pay pressed again");
                if (now.live()) {
                    return now.checkoutUrl();
                }
                if (now.status() == AttemptStatus.PAID) {
                    throw CheckoutRefused.alreadyPaid(now.orderId());
                }
            } else if (attempt.live()) {
                checkouts.close(attempt, "Pay pressed on Stripe's page while another payment was open");
            }
        }
        throw new IllegalStateException("The cart's checkout kept changing while Pay was pressed");
    }

    /**
     * The client secret for paying the order on the store's own page. {@code shownDigest} is what the page showed
     * ({@link #contentsDigest}); a cart changed since is refused. A payment under way (after a decline, or waiting
     * for authentication) is paid with the same PaymentIntent, still for the amount recorded when it began.
     */
    public String payOnStorePage(Payer payer, long orderId, String shownDigest) {
        for (int round = 0; round < 4; round++) {
            PayableOrder order = buyersOrder(payer, orderId);
            Optional<CheckoutAttempt> live = attempts.liveFor(orderId);
            if (live.isPresent()) {
                CheckoutAttempt attempt = checkouts.adopt(live.get(), "Pay pressed on the store's page");
                if (!attempt.hosted() && attempt.live()) {
                    if (order.cart() && !CartDigest.of(order).equals(shownDigest)) {
                        throw CheckoutRefused.cartChanged(order.total().display());
                    }
                    Checkouts.Ready ready = checkouts.readIntent(attempt, "Pay pressed on the store's page");
                    if (ready.attempt().live() && CONFIRMABLE.contains(ready.attempt().stripeStatus())) {
                        return ready.clientSecret();
                    }
                    if (ready.attempt().status() == AttemptStatus.PAID) {
                        throw CheckoutRefused.alreadyPaid(orderId);
                    }
                    if (ready.attempt().live()) {
                        throw CheckoutRefused.inProgress(orderId);
                    }
                    continue;
                }
                if (attempt.live()) {
                    checkouts.close(attempt, "Pay pressed on the store's page while Stripe's page was open");
                }
                continue;
            }
            if (!order.cart()) {
                throw CheckoutRefused.notPayable(orderId, "This order can no longer be paid; its books are back in your cart.");
            }
            if (order.isEmpty()) {
                throw CheckoutRefused.emptyCart();
            }
            if (!CartDigest.of(order).equals(shownDigest)) {
                throw CheckoutRefused.cartChanged(order.total().display());
            }
            Optional<CheckoutAttempt> begun = checkouts.begin(order, payer, Integration.EMBEDDED);
            if (begun.isPresent()) {
                return checkouts.make(begun.get(), "Pay pressed on the store's page").clientSecret();
            }
        }
        throw new IllegalStateException("The order's checkout kept changing while Pay was pressed");
    }

    /**
     * Stripe sent the buyer back from its hosted page: the session is read from Stripe and applied. Returns the order
     * if the session is one the store made for this buyer (found even if the store died before recording it).
     */
    public Optional<Long> returnFromHostedPage(Payer payer, String sessionId) {
        if (sessionId == null || !sessionId.matches("cs_[A-Za-z0-9_]{1,250}")) {
            return Optional.empty();
        }
        Optional<CheckoutAttempt> attempt = attempts.bySession(sessionId).or(() -> {
            try {
                return checkouts.identify(stripe.retrieveSession(sessionId), "success page for " + sessionId);
            } catch (StripeException e) {
                return unknownOrUnavailable(e);
            }
        });
        return settleForBuyer(payer, attempt, "success page for " + sessionId);
    }

    /** The store's own page came back from paying (or from 3-D Secure): the PaymentIntent is read from Stripe. */
    public Optional<Long> returnFromStorePage(Payer payer, String paymentIntentId) {
        if (paymentIntentId == null || !paymentIntentId.matches("pi_[A-Za-z0-9_]{1,250}")) {
            return Optional.empty();
        }
        Optional<CheckoutAttempt> attempt = attempts.byPaymentIntent(paymentIntentId).or(() -> {
            try {
                return checkouts.identify(stripe.retrieveIntent(paymentIntentId), "payment page return for " + paymentIntentId);
            } catch (StripeException e) {
                return unknownOrUnavailable(e);
            }
        });
        return settleForBuyer(payer, attempt, "payment page return for " + paymentIntentId);
    }

    /**
     * Ends the order's open checkout, at Stripe first, so its cart can change: the stock goes back and the cart is
     * unlocked. Throws {@link CheckoutRefused} if the buyer paid meanwhile, {@link PaymentsUnavailable} if Stripe
     * cannot be asked (the cart then stays locked and unchanged).
     */
    public void closeCheckout(long orderId, String why) {
        Optional<CheckoutAttempt> live = attempts.liveFor(orderId);
        if (live.isPresent()) {
            checkouts.close(live.get(), why);
        }
    }

    /** The buyer gave up on paying the order: its payment is cancelled and its books are back in their cart. */
    public void cancelByBuyer(Payer payer, long orderId) {
        buyersOrder(payer, orderId);
        closeCheckout(orderId, "the buyer cancelled the payment");
    }

    /** Where the order's payment stands. */
    public Summary summary(long orderId) {
        Optional<CheckoutAttempt> found = attempts.latestFor(orderId);
        if (found.isEmpty()) {
            return Summary.NONE;
        }
        CheckoutAttempt attempt = found.get();
        // The latest few, oldest first: one hosted payment page may be declined again and again.
        List<String> failures = new ArrayList<>(jdbc.sql("SELECT buyer_message FROM payment_failures WHERE attempt_id = ? "
                        + "ORDER BY failed_at DESC, id DESC LIMIT " + Summary.FAILURES_SHOWN)
                .param(attempt.id()).query(String.class).list());
        Collections.reverse(failures);
        boolean payable = attempt.live() && attempt.status() != AttemptStatus.CREATING && attempt.status() != AttemptStatus.PROCESSING;
        String continueUrl = !payable ? null : attempt.hosted() ? attempt.checkoutUrl() : "/checkout?order=" + orderId;
        return new Summary(attempt.status().code(), attempt.amount(), attempt.amountReceived(), attempt.chargeId(), attempt.paidAt(),
                attempt.status() == AttemptStatus.FAILED ? attempt.failureMessage() : null, failures, continueUrl, payable,
                attempt.status() == AttemptStatus.PROCESSING, attempt.status() == AttemptStatus.REQUIRES_ACTION);
    }

    /** What the payment page must send back with "Pay", so a page showing an old cart is noticed. */
    public static String contentsDigest(PayableOrder order) {
        return CartDigest.of(order);
    }

    private PayableOrder buyersOrder(Payer payer, long orderId) {
        return orders.find(orderId).filter(order -> order.accountId() == payer.accountId())
                .orElseThrow(() -> new NotFoundException("We could not find that order among yours."));
    }

    private Optional<Long> settleForBuyer(Payer payer, Optional<CheckoutAttempt> attempt, String cause) {
        Optional<CheckoutAttempt> buyers = attempt.filter(found -> found.accountId() == payer.accountId());
        buyers.ifPresent(found -> {
            try {
                checkouts.settle(found, cause);
            } catch (PaymentsUnavailable e) {
                // The webhook or the reconciliation will bring the news; the order page says the payment is processing.
            }
        });
        return buyers.map(CheckoutAttempt::orderId);
    }

    private static Optional<CheckoutAttempt> unknownOrUnavailable(StripeException e) {
        if (!(e instanceof InvalidRequestException)) {
            StripeFailures.log("look up a returning buyer's payment", e);
        }
        return Optional.empty();
    }
}
