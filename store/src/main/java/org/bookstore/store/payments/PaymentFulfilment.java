package org.bookstore.store.payments;

import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionRetrieveParams;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bookstore.store.common.Money;
import org.bookstore.store.orders.OrderPayments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns what Stripe says about a payment into order status changes. Webhooks and the success page both come
 * here, and everything here may run many times and concurrently: {@link OrderPayments} serialises the changes on
 * the order's row and ignores what is late or repeated. The order is named by the metadata the store itself put
 * on the session and the PaymentIntent; the browser's word is never taken.
 */
@Component
public class PaymentFulfilment {

    private static final Logger log = LoggerFactory.getLogger(PaymentFulfilment.class);

    private final StripeAccess stripe;
    private final OrderPayments payments;

    PaymentFulfilment(StripeAccess stripe, OrderPayments payments) {
        this.stripe = stripe;
        this.payments = payments;
    }

    /**
     * Stripe's fulfil(sessionId): retrieves the session server-side and acts on what it says. Returns the order it
     * is about, if the session is one of this store's.
     */
    public Optional<Long> fulfilCheckoutSession(String sessionId, String cause) {
        Session session;
        try {
            session = stripe.client().v1().checkout().sessions().retrieve(sessionId,
                    SessionRetrieveParams.builder().addExpand("payment_intent").build());
        } catch (StripeException e) {
            throw new PaymentsUnavailable(e);
        }
        Optional<Long> orderId = orderId(session.getMetadata()).or(() -> parse(session.getClientReferenceId()));
        orderId.ifPresent(id -> apply(session, id, cause));
        return orderId;
    }

    /**
     * The same for a PaymentIntent made on the store's own page: retrieved server-side, whatever the browser said
     * about it. Returns the order it is about.
     */
    public Optional<Long> fulfilPaymentIntent(String paymentIntentId, String cause) {
        PaymentIntent intent;
        try {
            intent = stripe.client().v1().paymentIntents().retrieve(paymentIntentId);
        } catch (StripeException e) {
            throw new PaymentsUnavailable(e);
        }
        Optional<Long> orderId = orderId(intent.getMetadata());
        orderId.ifPresent(id -> applyPaymentIntent(intent, id, cause));
        return orderId;
    }

    private void applyPaymentIntent(PaymentIntent intent, long orderId, String cause) {
        switch (String.valueOf(intent.getStatus())) {
            case "succeeded" -> payments.paid(orderId, intent.getId(), intent.getLatestCharge(), amount(intent), cause);
            case "canceled" -> payments.paymentIntentCanceled(orderId, intent.getId(), cause);
            case "requires_payment_method" -> {
                if (intent.getLastPaymentError() != null) {
                    payments.paymentFailed(orderId, intent.getId(), failureReason(intent), cause);
                } else {
                    payments.paymentStarted(orderId, intent.getId(), cause);
                }
            }
            default -> payments.paymentStarted(orderId, intent.getId(), cause);
        }
    }

    void onCheckoutSessionExpired(Session session, String cause) {
        orderId(session.getMetadata()).or(() -> parse(session.getClientReferenceId()))
                .ifPresent(id -> payments.checkoutExpired(id, session.getId(), cause));
    }

    void onPaymentIntent(String eventType, PaymentIntent intent, String cause) {
        Optional<Long> orderId = orderId(intent.getMetadata());
        if (orderId.isEmpty()) {
            log.info("Ignoring {} for {}: it names no order of this store", eventType, intent.getId());
            return;
        }
        long id = orderId.get();
        switch (eventType) {
            case "payment_intent.created", "payment_intent.processing", "payment_intent.requires_action" ->
                    payments.paymentStarted(id, intent.getId(), cause);
            case "payment_intent.succeeded" -> payments.paid(id, intent.getId(), intent.getLatestCharge(), amount(intent), cause);
            case "payment_intent.payment_failed" -> payments.paymentFailed(id, intent.getId(), failureReason(intent), cause);
            case "payment_intent.canceled" -> payments.paymentIntentCanceled(id, intent.getId(), cause);
            default -> {
            }
        }
    }

    private void apply(Session session, long orderId, String cause) {
        PaymentIntent intent = session.getPaymentIntentObject();
        switch (String.valueOf(session.getStatus())) {
            case "complete" -> {
                if ("paid".equals(session.getPaymentStatus()) || "no_payment_required".equals(session.getPaymentStatus())) {
                    Money amount = money(session.getAmountTotal(), session.getCurrency());
                    payments.paid(orderId, intent == null ? null : intent.getId(), intent == null ? null : intent.getLatestCharge(), amount, cause);
                } else if (intent != null) {
                    payments.paymentStarted(orderId, intent.getId(), cause);
                }
            }
            case "expired" -> payments.checkoutExpired(orderId, session.getId(), cause);
            default -> {
                if (intent != null) {
                    if ("succeeded".equals(intent.getStatus())) {
                        payments.paid(orderId, intent.getId(), intent.getLatestCharge(), amount(intent), cause);
                    } else if (intent.getLastPaymentError() != null && "requires_payment_method".equals(intent.getStatus())) {
                        payments.paymentFailed(orderId, intent.getId(), failureReason(intent), cause);
                    } else {
                        payments.paymentStarted(orderId, intent.getId(), cause);
                    }
                }
            }
        }
    }

    static String failureReason(PaymentIntent intent) {
        StripeError error = intent.getLastPaymentError();
        return error != null && error.getMessage() != null ? error.getMessage() : "The payment did not go through.";
    }

    static Money amount(PaymentIntent intent) {
        return money(intent.getAmount(), intent.getCurrency());
    }

    static Money money(Long amount, String currency) {
        return new Money(amount == null ? 0 : amount, Currency.getInstance(currency.toUpperCase(Locale.ROOT)));
    }

    static Optional<Long> orderId(Map<String, String> metadata) {
        return metadata == null ? Optional.empty() : parse(metadata.get(CheckoutSessionCreator.ORDER_ID));
    }

    private static Optional<Long> parse(String id) {
        return id != null && id.matches("\\d{1,18}") ? Optional.of(Long.parseLong(id)) : Optional.empty();
    }
}
