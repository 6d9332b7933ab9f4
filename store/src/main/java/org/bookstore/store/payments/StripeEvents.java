package org.bookstore.store.payments;

import com.stripe.model.Event;
import com.stripe.model.HasId;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Handles each verified Stripe event once. The event is recorded in the same transaction as what it changes:
 * a second delivery of the same id, or a second event for the same object and type, hits a unique constraint
 * and is ignored; a failure rolls the record back, so Stripe's retry gets a fresh chance.
 */
@Component
class StripeEvents {

    private static final Logger log = LoggerFactory.getLogger(StripeEvents.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final PaymentFulfilment fulfilment;

    StripeEvents(JdbcClient jdbc, TransactionTemplate transactions, PaymentFulfilment fulfilment) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.fulfilment = fulfilment;
    }

    /** Returns false for a duplicate or an event type the store does not act on. */
    boolean handle(Event event) {
        Optional<StripeObject> object = object(event);
        String objectId = object.filter(HasId.class::isInstance).map(o -> ((HasId) o).getId()).orElse(event.getId());
        try {
            return Boolean.TRUE.equals(transactions.execute(status -> {
                jdbc.sql("INSERT INTO stripe_events (event_id, event_type, object_id) VALUES (?, ?, ?)")
                        .params(event.getId(), event.getType(), objectId).update();
                return dispatch(event, object);
            }));
        } catch (DuplicateKeyException duplicate) {
            log.info("Ignoring {} {} for {}: already handled", event.getType(), event.getId(), objectId);
            return false;
        }
    }

    private boolean dispatch(Event event, Optional<StripeObject> object) {
        String cause = event.getId() + " " + event.getType();
        switch (event.getType()) {
            case "payment_intent.created", "payment_intent.processing", "payment_intent.requires_action",
                    "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled" -> {
                object.filter(PaymentIntent.class::isInstance)
                        .ifPresent(intent -> fulfilment.onPaymentIntent(event.getType(), (PaymentIntent) intent, cause));
                return true;
            }
            case "checkout.session.completed", "checkout.session.async_payment_succeeded",
                    "checkout.session.async_payment_failed" -> {
                object.filter(Session.class::isInstance)
                        .ifPresent(session -> fulfilment.fulfilCheckoutSession(((Session) session).getId(), cause));
                return true;
            }
            case "checkout.session.expired" -> {
                object.filter(Session.class::isInstance)
                        .ifPresent(session -> fulfilment.onCheckoutSessionExpired((Session) session, cause));
                return true;
            }
            default -> {
                return false;
            }
        }
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
}
