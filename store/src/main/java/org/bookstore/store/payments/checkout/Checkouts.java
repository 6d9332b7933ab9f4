package org.bookstore.store.payments.checkout;

import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.bookstore.store.common.ClientCounts;
import org.bookstore.store.common.PublicUrl;
import org.bookstore.store.payments.CheckoutRefused;
import org.bookstore.store.payments.CheckoutStarted;
import org.bookstore.store.payments.PayableOrder;
import org.bookstore.store.payments.Payments.Payer;
import org.bookstore.store.payments.PaymentsUnavailable;
import org.bookstore.store.payments.stripe.Installation;
import org.bookstore.store.payments.stripe.StripeCustomers;
import org.bookstore.store.payments.stripe.StripeFailures;
import org.bookstore.store.payments.stripe.StripeSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of a checkout attempt that involve Stripe: begin (record it, before Stripe hears of it), make (ask Stripe
 * for its Session or PaymentIntent, or ask again after a lost answer), settle (read Stripe, then apply), close, and
 * identify (is this Stripe object one the store made?). Stripe is always called outside any database transaction.
 */
@Component
public class Checkouts {

    private final CheckoutAttempts attempts;
    private final Settlement settlement;
    private final StripeCalls stripe;
    private final StripeCustomers customers;
    private final Installation installation;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final StripeSettings settings;
    private final PublicUrl publicUrl;
    private final Clock clock;
    private final ClientCounts counts;
    private final ClientCounts.Limit newPayments;

    Checkouts(CheckoutAttempts attempts, Settlement settlement, StripeCalls stripe, StripeCustomers customers,
            Installation installation, TransactionTemplate transactions, ApplicationEventPublisher events, StripeSettings settings,
            PublicUrl publicUrl, Clock clock, ClientCounts counts,
            @Value("${bookstore.checkout.max-new-payments-per-account:30}") int maxNewPayments,
            @Value("${bookstore.checkout.new-payments-window:1h}") Duration window) {
        this.attempts = attempts;
        this.settlement = settlement;
        this.stripe = stripe;
        this.customers = customers;
        this.installation = installation;
        this.transactions = transactions;
        this.events = events;
        this.settings = settings;
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.counts = counts;
        this.newPayments = new ClientCounts.Limit(maxNewPayments, window, window);
    }

    /** An attempt with what the buyer needs to pay it: the hosted page's address, or the PaymentIntent's client secret. */
    public record Ready(CheckoutAttempt attempt, String url, String clientSecret) {
    }

    /**
     * Records a new attempt for the order, with every parameter Stripe will be sent fixed now, and publishes
     * {@link CheckoutStarted} in the same transaction (the cart is locked and the stock reserved, or the attempt is
     * undone). Empty if the order already has a live attempt, e.g. from the other half of a double click.
     * <p>An account may begin {@code bookstore.checkout.max-new-payments-per-account} payments within
     * {@code bookstore.checkout.new-payments-window} ({@link CheckoutRefused#tooManyPayments}): each is a Stripe Session
     * or PaymentIntent, rows kept with the order's history and, after a decline, a mail; a script pressing Pay and then
     * changing the cart, again and again, would otherwise make them without end. Pressing Pay again for the same cart
     * reuses its payment, and a payment that could not begin is given back: neither is counted.
     */
    public Optional<CheckoutAttempt> begin(PayableOrder order, Payer payer, CheckoutAttempt.Integration integration) {
        String key = "payments:" + payer.accountId();
        counts.take(key, newPayments).ifPresent(wait -> {
            throw CheckoutRefused.tooManyPayments(wait);
        });
        Optional<CheckoutAttempt> begun = Optional.empty();
        try {
            begun = record(order, payer, integration);
            return begun;
        } finally {
            if (begun.isEmpty()) {
                // Nothing was begun (Stripe unreachable, a book out of stock, the other half of a double click).
                counts.giveBack(key, newPayments);
            }
        }
    }

    private Optional<CheckoutAttempt> record(PayableOrder order, Payer payer, CheckoutAttempt.Integration integration) {
        String customer;
        try {
            customer = customers.customerFor(payer);
        } catch (StripeException e) {
            StripeFailures.log("create the Stripe customer of account " + payer.accountId(), e);
            throw new PaymentsUnavailable(e);
        }
        Instant now = clock.instant();
        try {
            return Optional.of(transactions.execute(status -> {
                long id = attempts.insert(order.orderId(), order.accountId(), integration,
                        installation.id() + "-checkout-" + UUID.randomUUID(), order.total(), CartDigest.of(order), customer,
                        publicUrl.get(), now.plus(settings.checkoutExpiresAfter()), now, order.lines());
                events.publishEvent(new CheckoutStarted(order.orderId(), id, order.total(), order.lines()));
                return attempts.find(id).orElseThrow();
            }));
        } catch (DuplicateKeyException raced) {
            return Optional.empty();
        }
    }

    /**
     * Asks Stripe for the attempt's Session or PaymentIntent under its idempotency key: the first time, or again for
     * an attempt whose answer was lost (Stripe then returns the object it made). An error answer means Stripe made
     * nothing, and the attempt closes; no answer at all leaves it to be asked again later.
     */
    public Ready make(CheckoutAttempt attempt, String cause) {
        StripeCalls.Made made;
        try {
            made = stripe.create(attempt);
        } catch (StripeException e) {
            StripeFailures.log("start the payment of order #" + attempt.orderId(), e);
            if (!StripeFailures.outcomeUnknown(e)) {
                settlement.closeUnmade(attempt.id(), "Stripe could not start the payment", cause);
            }
            throw new PaymentsUnavailable(e);
        }
        CheckoutAttempt after = settlement.recordMade(attempt.id(), made).orElseThrow(() -> new IllegalStateException(
                "Stripe returned " + made.objectId() + " for attempt " + attempt.id() + ", which has another object"));
        if (after.status().isFinal()) {
            throw new PaymentsUnavailable(new IllegalStateException("attempt " + attempt.id() + " closed while it was being made"));
        }
        return new Ready(after, made.url(), made.clientSecret());
    }

    /** The attempt with its Stripe object known: one still being made is asked for again. */
    public CheckoutAttempt adopt(CheckoutAttempt attempt, String cause) {
        return attempt.status() == AttemptStatus.CREATING ? make(attempt, cause).attempt() : attempt;
    }

    /** Reads the attempt's Session or PaymentIntent from Stripe and applies what it says. */
    public CheckoutAttempt settle(CheckoutAttempt attempt, String cause) {
        CheckoutAttempt known = adopt(attempt, cause);
        if (known.stripeObjectId() == null) {
            return known;
        }
        try {
            return settlement.apply(known.id(), stripe.read(known), cause);
        } catch (StripeException e) {
            StripeFailures.log("read the payment of order #" + known.orderId(), e);
            throw new PaymentsUnavailable(e);
        }
    }

    /** The attempt's PaymentIntent, read from Stripe and applied, with its client secret. */
    public Ready readIntent(CheckoutAttempt attempt, String cause) {
        try {
            StripeCalls.Made made = stripe.readIntent(attempt);
            return new Ready(settlement.apply(attempt.id(), made.seen(), cause), null, made.clientSecret());
        } catch (StripeException e) {
            StripeFailures.log("read the payment of order #" + attempt.orderId(), e);
            throw new PaymentsUnavailable(e);
        }
    }

    /**
     * Ends the attempt unpaid: its Session expired or its PaymentIntent cancelled at Stripe first, then the attempt
     * closes (the stock goes back, the cart unlocks). Refused if the buyer paid meanwhile or the payment cannot be
     * stopped any more.
     */
    public void close(CheckoutAttempt attempt, String cause) {
        CheckoutAttempt known = adopt(attempt, cause);
        if (!known.status().isFinal()) {
            StripePayment seen;
            try {
                seen = stripe.close(known);
            } catch (StripeException e) {
                StripeFailures.log("cancel the payment of order #" + known.orderId(), e);
                throw new PaymentsUnavailable(e);
            }
            known = settlement.apply(known.id(), seen, cause);
        }
        if (known.status() == AttemptStatus.PAID) {
            throw CheckoutRefused.alreadyPaid(known.orderId());
        }
        if (known.status() != AttemptStatus.CLOSED) {
            throw CheckoutRefused.inProgress(known.orderId());
        }
    }

    /**
     * The attempt a PaymentIntent belongs to, if the store made it: by the id recorded on an attempt, or (for an
     * intent Stripe made for a hosted Session, or an answer lost in a crash) by the attempt its metadata names once
     * Stripe confirms the link. A payment that names one of the store's orders but is not the store's is recorded
     * for attention and moves nothing.
     */
    public Optional<CheckoutAttempt> identify(PaymentIntent intent, String cause) throws StripeException {
        Optional<CheckoutAttempt> known = attempts.byPaymentIntent(intent.getId());
        if (known.isPresent()) {
            return known;
        }
        Optional<CheckoutAttempt> named = named(intent.getMetadata());
        if (named.isPresent()) {
            CheckoutAttempt attempt = adopt(named.get(), cause);
            // A hosted attempt's PaymentIntent is made by Stripe: it is ours only if our Session says it is.
            boolean ours = attempt.hosted()
                    ? attempt.checkoutSessionId() != null
                            && intent.getId().equals(sessionIntentId(stripe.retrieveSession(attempt.checkoutSessionId())))
                    : intent.getId().equals(attempt.paymentIntentId());
            if (ours) {
                return Optional.of(attempt);
            }
        }
        namedOrder(intent.getMetadata()).ifPresent(orderId -> settlement.foreignPayment(orderId, intent.getId(),
                intent.getAmountReceived(), intent.getCurrency(), cause));
        return Optional.empty();
    }

    /** The same for a Checkout Session. */
    public Optional<CheckoutAttempt> identify(Session session, String cause) {
        Optional<CheckoutAttempt> known = attempts.bySession(session.getId());
        if (known.isPresent()) {
            return known;
        }
        Optional<CheckoutAttempt> named = named(session.getMetadata());
        if (named.isPresent() && named.get().hosted()) {
            CheckoutAttempt attempt = adopt(named.get(), cause);
            if (session.getId().equals(attempt.checkoutSessionId())) {
                return Optional.of(attempt);
            }
        }
        namedOrder(session.getMetadata()).ifPresent(orderId -> settlement.foreignPayment(orderId, session.getId(),
                session.getAmountTotal(), session.getCurrency(), cause));
        return Optional.empty();
    }

    private static String sessionIntentId(Session session) {
        return session.getPaymentIntentObject() != null ? session.getPaymentIntentObject().getId() : session.getPaymentIntent();
    }

    private Optional<CheckoutAttempt> named(Map<String, String> metadata) {
        Optional<Long> attemptId = number(metadata, StripeCalls.ATTEMPT_ID);
        Optional<Long> orderId = namedOrder(metadata);
        return attemptId.flatMap(attempts::find).filter(attempt -> orderId.isPresent() && orderId.get() == attempt.orderId());
    }

    private static Optional<Long> namedOrder(Map<String, String> metadata) {
        return number(metadata, StripeCalls.ORDER_ID);
    }

    private static Optional<Long> number(Map<String, String> metadata, String key) {
        String value = metadata == null ? null : metadata.get(key);
        return value != null && value.matches("\\d{1,18}") ? Optional.of(Long.parseLong(value)) : Optional.empty();
    }
}
