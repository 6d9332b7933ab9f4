package org.bookstore.store.payments.checkout;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.CheckoutClosed;
import org.bookstore.store.payments.OrderPaid;
import org.bookstore.store.payments.PaymentFailed;
import org.bookstore.store.payments.PaymentNeedsAttention;
import org.bookstore.store.payments.PaymentStarted;
import org.bookstore.store.payments.checkout.PaymentDecision.Attention;
import org.bookstore.store.payments.checkout.PaymentDecision.Decision;
import org.bookstore.store.payments.checkout.StripePayment.IntentState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies {@link PaymentDecision}s. Every change to an attempt happens here, in one transaction under the attempt's
 * row lock, on any thread of any instance: the attempt's new state, every failure reason, what needs attention, and
 * the event that moves its order (published inside the same transaction, so the order and the attempt never
 * disagree). Never calls Stripe: callers read Stripe first, then come here.
 */
@Component
public class Settlement {

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    private final CheckoutAttempts attempts;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Settlement(CheckoutAttempts attempts, JdbcClient jdbc, TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock) {
        this.attempts = attempts;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    /** Applies what Stripe says about the attempt's own Session or PaymentIntent. Returns the attempt afterwards. */
    public CheckoutAttempt apply(long attemptId, StripePayment seen, String cause) {
        return transactions.execute(status -> applyLocked(lock(attemptId), seen, cause));
    }

    /**
     * Stripe made (or, asked again under the same idempotency key, found) the attempt's Session or PaymentIntent:
     * records its id if the attempt was still being made. What Stripe answered then says nothing has happened yet, so
     * the attempt is simply open; its later states come from reading Stripe. Returns empty if the attempt already has
     * another object, which then is not this attempt's.
     */
    Optional<CheckoutAttempt> recordMade(long attemptId, StripeCalls.Made made) {
        return transactions.execute(status -> {
            CheckoutAttempt attempt = lock(attemptId);
            if (attempt.stripeObjectId() == null) {
                if (attempt.hosted()) {
                    attempts.recordSession(attemptId, made.objectId(), made.url(), clock.instant());
                } else {
                    attempts.recordPaymentIntent(attemptId, made.objectId(), clock.instant());
                }
                return Optional.of(lock(attemptId));
            }
            return attempt.stripeObjectId().equals(made.objectId()) ? Optional.of(attempt) : Optional.empty();
        });
    }

    /** Stripe answered the attempt's creation with an error: nothing exists that could be paid, so it closes. */
    CheckoutAttempt closeUnmade(long attemptId, String reason, String cause) {
        return transactions.execute(status -> {
            CheckoutAttempt attempt = lock(attemptId);
            if (attempt.status() != AttemptStatus.CREATING) {
                return attempt;
            }
            CheckoutAttempt closed = attempt.settled(AttemptStatus.CLOSED, attempt.paymentIntentId(), attempt.stripeStatus(), null,
                    null, attempt.failureMessage(), reason, attempt.seenAt(), null);
            attempts.update(closed, clock.instant());
            publish(attempt, closed, cause);
            return closed;
        });
    }

    /** A failure Stripe reported in a webhook event; kept even if the intent has failed again since. */
    public void recordReportedFailure(long attemptId, String paymentIntentId, StripePayment.Failure failure, String eventId) {
        transactions.executeWithoutResult(status -> {
            lock(attemptId);
            recordFailure(attemptId, paymentIntentId, failure, failure.chargeId() != null ? failure.chargeId() : "evt:" + eventId);
        });
    }

    /** A payment the store did not make names one of its orders: kept for a person, and nothing else happens. */
    void foreignPayment(Long orderId, String objectId, Long amount, String currency, String cause) {
        String detail = "Stripe object " + objectId + " names order #" + orderId + " but was not made by this store for it; "
                + "the order was not changed.";
        try {
            transactions.executeWithoutResult(status -> attention(Attention.FOREIGN_PAYMENT, orderId, null, objectId, amount, currency, detail, cause));
        } catch (DuplicateKeyException known) {
            // Already recorded by another delivery.
        }
    }

    private CheckoutAttempt applyLocked(CheckoutAttempt attempt, StripePayment seen, String cause) {
        IntentState intent = seen.intent();
        String intentId = attempt.paymentIntentId();
        if (intent != null && intentId == null) {
            // The hosted page's PaymentIntent, read from the attempt's own Session: now known to be this attempt's.
            intentId = intent.id();
        } else if (intent != null && !intentId.equals(intent.id())) {
            foreignPaymentLocked(attempt, intent, cause);
            return attempt;
        }
        if (intent != null && intent.lastError() != null) {
            recordFailure(attempt.id(), intent.id(), intent.lastError(), intent.lastError().key());
        }
        Decision decision = PaymentDecision.decide(attempt, seen);
        if (decision.attention() != null) {
            attention(decision.attention(), attempt.orderId(), attempt.id(), intent != null ? intent.id() : attempt.stripeObjectId(),
                    intent != null ? intent.amountReceived() : null, intent != null ? intent.currency() : null, decision.detail(), cause);
        }
        boolean older = attempt.seenAt() != null && seen.seenAt().isBefore(attempt.seenAt());
        if (older && !decision.next().isFinal()) {
            return attempt;
        }
        AttemptStatus next = decision.next();
        boolean paid = next == AttemptStatus.PAID && attempt.status() != AttemptStatus.PAID;
        CheckoutAttempt after = attempt.settled(next, intentId, intent != null ? intent.status() : attempt.stripeStatus(),
                paid ? intent.latestCharge() : attempt.chargeId(),
                paid ? new Money(intent.amountReceived(), attempt.amount().currency()) : attempt.amountReceived(),
                next == AttemptStatus.FAILED ? FailureMessages.forBuyer(intent.lastError()) : attempt.failureMessage(),
                decision.closeReason() != null ? decision.closeReason() : attempt.closeReason(),
                older ? attempt.seenAt() : seen.seenAt(), paid ? clock.instant() : attempt.paidAt());
        if (!after.equals(attempt)) {
            attempts.update(after, clock.instant());
        }
        publish(attempt, after, cause);
        return after;
    }

    /**
     * The event that moves the order, when the attempt's status changes. A payment that went from not started
     * straight to paid or failed (its first news came late) was under way in between, and the order says so first.
     */
    private void publish(CheckoutAttempt before, CheckoutAttempt after, String cause) {
        if (before.status() == after.status()) {
            return;
        }
        boolean notStarted = before.status() == AttemptStatus.CREATING || before.status() == AttemptStatus.OPEN;
        if (notStarted && (after.status() == AttemptStatus.PAID || after.status() == AttemptStatus.FAILED)) {
            events.publishEvent(new PaymentStarted(after.orderId(), after.id(), cause));
        }
        switch (after.status()) {
            case PAID -> events.publishEvent(new OrderPaid(after.orderId(), after.id(), after.paymentIntentId(), after.chargeId(),
                    after.amountReceived(), cause));
            case CLOSED -> events.publishEvent(new CheckoutClosed(after.orderId(), after.id(), after.lines(), after.closeReason(), cause));
            case FAILED -> events.publishEvent(new PaymentFailed(after.orderId(), after.id(), after.failureMessage(), cause));
            case STARTED, REQUIRES_ACTION, PROCESSING -> {
                if (!before.status().underWay() || before.status() == AttemptStatus.FAILED) {
                    events.publishEvent(new PaymentStarted(after.orderId(), after.id(), cause));
                }
            }
            default -> {
            }
        }
    }

    private void foreignPaymentLocked(CheckoutAttempt attempt, IntentState intent, String cause) {
        attention(Attention.FOREIGN_PAYMENT, attempt.orderId(), attempt.id(), intent.id(), intent.amountReceived(), intent.currency(),
                "Payment " + intent.id() + " is not the one this store made for order #" + attempt.orderId()
                        + "; the order was not changed.", cause);
    }

    private void recordFailure(long attemptId, String paymentIntentId, StripePayment.Failure failure, String key) {
        String failureKey = truncate(key, 255);
        boolean known = jdbc.sql("SELECT COUNT(*) FROM payment_failures WHERE payment_intent_id = ? AND failure_key = ?")
                .params(paymentIntentId, failureKey).query(Integer.class).single() > 0;
        if (!known) {
            jdbc.sql("INSERT INTO payment_failures (attempt_id, payment_intent_id, failure_key, code, decline_code, buyer_message, "
                            + "stripe_message, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(attemptId, paymentIntentId, failureKey, truncate(failure.code(), 100), truncate(failure.declineCode(), 100),
                            FailureMessages.forBuyer(failure), truncate(failure.message(), 1000), Timestamp.from(clock.instant()))
                    .update();
        }
    }

    private void attention(Attention kind, Long orderId, Long attemptId, String objectId, Long amount, String currency,
            String detail, String cause) {
        boolean known = jdbc.sql("SELECT COUNT(*) FROM payment_attention WHERE kind = ? AND stripe_object_id = ?")
                .params(kind.name(), objectId).query(Integer.class).single() > 0;
        if (known) {
            return;
        }
        jdbc.sql("INSERT INTO payment_attention (kind, order_id, attempt_id, stripe_object_id, amount_minor, currency, detail, cause, "
                        + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(kind.name(), orderId, attemptId, objectId, amount, currencyCode(currency), truncate(detail, 1000),
                        truncate(cause, 300), Timestamp.from(clock.instant()))
                .update();
        log.error("Payment needs attention ({}): {}", kind, detail);
        events.publishEvent(new PaymentNeedsAttention(kind.name(), orderId, objectId, detail));
    }

    private CheckoutAttempt lock(long attemptId) {
        return attempts.lock(attemptId).orElseThrow(() -> new IllegalStateException("No checkout attempt " + attemptId));
    }

    private static String currencyCode(String currency) {
        if (currency == null || currency.length() != 3) {
            return null;
        }
        try {
            return Currency.getInstance(currency.toUpperCase(Locale.ROOT)).getCurrencyCode();
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
