package org.bookstore.store.payments.webhooks;

import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.HasId;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.bookstore.store.payments.PaymentsUnavailable;
import org.bookstore.store.payments.UnsettledPayment;
import org.bookstore.store.payments.checkout.CheckoutAttempt;
import org.bookstore.store.payments.checkout.Checkouts;
import org.bookstore.store.payments.checkout.StripePayment;
import org.bookstore.store.payments.disputes.Disputes;
import org.bookstore.store.payments.refunds.Refunds;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.bookstore.store.payments.stripe.StripeFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Acts on each verified Stripe event once. An event is only a sign that something changed: its object must be one
 * the store made (see {@link Checkouts#identify}), and what the attempt becomes is decided from Stripe's current
 * state of it, read afresh, so duplicated, reordered and late events all end the same way. The event id is recorded
 * after it was acted on; if acting failed, the {@link StripeInbox}'s next try gets a fresh chance.
 */
@Component
class StripeEvents {

    private static final Logger log = LoggerFactory.getLogger(StripeEvents.class);

    private final JdbcClient jdbc;
    private final Checkouts checkouts;
    private final org.bookstore.store.payments.checkout.Settlement settlement;
    private final Clock clock;
    private final Refunds refunds;
    private final Disputes disputes;
    private final StripeAccess stripe;

    StripeEvents(JdbcClient jdbc, Checkouts checkouts, org.bookstore.store.payments.checkout.Settlement settlement, Clock clock,
            Refunds refunds, Disputes disputes, StripeAccess stripe) {
        this.jdbc = jdbc;
        this.checkouts = checkouts;
        this.settlement = settlement;
        this.clock = clock;
        this.refunds = refunds;
        this.disputes = disputes;
        this.stripe = stripe;
    }

    /** Whether an event of this type can change anything in the store; all others are acknowledged and dropped. */
    static boolean concernsTheStore(String type) {
        return type != null && (type.startsWith("payment_intent.") || type.startsWith("checkout.session.") || type.startsWith("refund.")
                || type.equals("charge.refund.updated") || type.equals("charge.refunded") || type.startsWith("charge.dispute."));
    }

    private boolean alreadyHandled(String eventId) {
        return jdbc.sql("SELECT COUNT(*) FROM stripe_events WHERE event_id = ?").param(eventId).query(Integer.class).single() > 0;
    }

    /**
     * Returns false for a duplicate or an event the store does not act on. Throws {@link PaymentsUnavailable} if
     * Stripe cannot be asked now, and whatever the database throws: nothing is recorded then, and it can be tried again.
     */
    boolean handle(Event event) {
        if (!concernsTheStore(event.getType())) {
            return false;
        }
        if (alreadyHandled(event.getId())) {
            log.debug("Ignoring {} {}: already handled", event.getType(), event.getId());
            return false;
        }
        Optional<StripeObject> object = object(event);
        String cause = event.getId() + " " + event.getType();
        boolean acted;
        try {
            acted = act(event, object, cause);
        } catch (StripeException e) {
            StripeFailures.log("check " + cause + " with Stripe", e);
            throw new PaymentsUnavailable(e);
        }
        String objectId = object.filter(HasId.class::isInstance).map(o -> ((HasId) o).getId()).orElse(event.getId());
        try {
            jdbc.sql("INSERT INTO stripe_events (event_id, event_type, object_id, received_at) VALUES (?, ?, ?, ?)")
                    .params(event.getId(), truncate(event.getType(), 100), truncate(objectId, 255), Timestamp.from(clock.instant())).update();
        } catch (DuplicateKeyException concurrent) {
            return false;
        }
        return acted;
    }

    private boolean act(Event event, Optional<StripeObject> object, String cause) throws StripeException {
        String type = event.getType();
        if (type.startsWith("payment_intent.") && object.orElse(null) instanceof PaymentIntent intent) {
            Optional<CheckoutAttempt> attempt = checkouts.identify(intent, cause);
            if (attempt.isEmpty()) {
                return false;
            }
            if (type.equals("payment_intent.payment_failed") && intent.getLastPaymentError() != null) {
                StripePayment.Failure failure = StripePayment.of(intent, clock.instant()).intent().lastError();
                settlement.recordReportedFailure(attempt.get().id(), intent.getId(), failure, event.getId());
            }
            checkouts.settle(attempt.get(), cause);
            return true;
        }
        if (type.startsWith("checkout.session.") && object.orElse(null) instanceof Session session) {
            Optional<CheckoutAttempt> attempt = checkouts.identify(session, cause);
            attempt.ifPresent(found -> checkouts.settle(found, cause));
            return attempt.isPresent();
        }
        // Refunds and disputes: each event only says "look again"; the refund or dispute is read afresh from Stripe.
        if ((type.startsWith("refund.") || type.equals("charge.refund.updated")) && object.orElse(null) instanceof Refund refund) {
            return refunds.follow(refund.getId(), cause, paymentIntentId -> settledFirst(paymentIntentId, cause)).isPresent();
        }
        if (type.equals("charge.refunded") && object.orElse(null) instanceof Charge charge) {
            return refunds.followPayment(charge.getId(), charge.getPaymentIntent(), cause,
                    paymentIntentId -> settledFirst(paymentIntentId, cause)) > 0;
        }
        if (type.startsWith("charge.dispute.") && object.orElse(null) instanceof Dispute dispute) {
            return disputes.follow(dispute.getId(), cause, paymentIntentId -> settledFirst(paymentIntentId, cause)).isPresent();
        }
        return false;
    }

    /**
     * A refund or dispute is recorded beside a paid order; one about a payment the store has not recorded as paid yet
     * was dropped. That happens when the payment's own events wait to be tried again (Stripe could not be asked about
     * them a moment ago) while these, about the same charge, get through: the dispute was then never shown, its
     * evidence never sent. So the payment is settled from Stripe's state first, as its own events would settle it, if
     * it is one of the store's; false if it is not (a stranger's payment: left as it was flagged), or if there is none.
     * Refunds and disputes ask for this themselves, after reading the refund or dispute once, only when they find no
     * paid order ({@link UnsettledPayment}).
     */
    private boolean settledFirst(String paymentIntentId, String cause) throws StripeException {
        if (paymentIntentId == null || paymentIntentId.isBlank()) {
            return false;
        }
        PaymentIntent intent = stripe.client().v1().paymentIntents().retrieve(paymentIntentId);
        Optional<CheckoutAttempt> attempt = checkouts.identify(intent, cause);
        if (attempt.isEmpty()) {
            return false;
        }
        checkouts.settle(attempt.get(), cause);
        return true;
    }

    /** The event's object; events in another API version than the SDK's are read leniently. */
    private static Optional<StripeObject> object(Event event) {
        var deserializer = event.getDataObjectDeserializer();
        Optional<StripeObject> object = deserializer.getObject();
        if (object.isPresent()) {
            return object;
        }
        try {
            return Optional.ofNullable(deserializer.deserializeUnsafe());
        } catch (Exception e) {
            log.warn("Could not read the object of event {} ({})", event.getId(), event.getApiVersion());
            return Optional.empty();
        }
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
