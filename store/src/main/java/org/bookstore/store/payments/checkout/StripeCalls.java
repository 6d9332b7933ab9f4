package org.bookstore.store.payments.checkout;

import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import java.time.Clock;
import org.bookstore.store.payments.PayableOrder;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.springframework.stereotype.Component;

/**
 * Every call the store makes to Stripe about a checkout attempt. What is sent is made from the attempt's recorded
 * fields alone, so sending it again under the attempt's idempotency key gets the very same Session or PaymentIntent
 * back: that is how a half-made attempt is found again after a crash.
 */
@Component
public class StripeCalls {

    static final String ORDER_ID = "order_id";
    static final String ATTEMPT_ID = "checkout_attempt_id";

    private final StripeAccess stripe;
    private final Clock clock;

    StripeCalls(StripeAccess stripe, Clock clock) {
        this.stripe = stripe;
        this.clock = clock;
    }

    /** What Stripe made for the attempt: the object's id, where the buyer pays it, and its state. */
    record Made(String objectId, String url, String clientSecret, StripePayment seen) {
    }

    Made create(CheckoutAttempt attempt) throws StripeException {
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(attempt.idempotencyKey()).build();
        if (attempt.hosted()) {
            Session session = stripe.client().v1().checkout().sessions().create(sessionParams(attempt), options);
            return new Made(session.getId(), session.getUrl(), null, StripePayment.of(session, clock.instant()));
        }
        PaymentIntent intent = stripe.client().v1().paymentIntents().create(intentParams(attempt), options);
        return new Made(intent.getId(), null, intent.getClientSecret(), StripePayment.of(intent, clock.instant()));
    }

    /** The attempt's Session (with its PaymentIntent) or PaymentIntent as Stripe has it now. */
    StripePayment read(CheckoutAttempt attempt) throws StripeException {
        if (attempt.hosted()) {
            return StripePayment.of(retrieveSession(attempt.checkoutSessionId()), clock.instant());
        }
        return StripePayment.of(retrieveIntent(attempt.paymentIntentId()), clock.instant());
    }

    /** The client secret of the attempt's PaymentIntent, with its state. */
    Made readIntent(CheckoutAttempt attempt) throws StripeException {
        PaymentIntent intent = retrieveIntent(attempt.paymentIntentId());
        return new Made(intent.getId(), null, intent.getClientSecret(), StripePayment.of(intent, clock.instant()));
    }

    /**
     * Ends the attempt at Stripe (expires its Session, cancels its PaymentIntent) and says how it ended: closed, or
     * paid or under way if the buyer got there first.
     */
    StripePayment close(CheckoutAttempt attempt) throws StripeException {
        if (attempt.hosted()) {
            try {
                stripe.client().v1().checkout().sessions().expire(attempt.checkoutSessionId());
            } catch (InvalidRequestException notOpen) {
                // Already complete or expired: reading it says which.
            }
            return read(attempt);
        }
        try {
            return StripePayment.of(stripe.client().v1().paymentIntents().cancel(attempt.paymentIntentId()), clock.instant());
        } catch (InvalidRequestException notCancelable) {
            return read(attempt);
        }
    }

    public Session retrieveSession(String sessionId) throws StripeException {
        return stripe.client().v1().checkout().sessions().retrieve(sessionId,
                SessionRetrieveParams.builder().addExpand("payment_intent").build());
    }

    public PaymentIntent retrieveIntent(String paymentIntentId) throws StripeException {
        return stripe.client().v1().paymentIntents().retrieve(paymentIntentId);
    }

    /** 22 characters in all, less the longest prefix (10) and the "* " between them. */
    static final int MAX_SUFFIX = 10;

    private static SessionCreateParams sessionParams(CheckoutAttempt attempt) {
        String orderId = Long.toString(attempt.orderId());
        String attemptId = Long.toString(attempt.id());
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setCustomer(attempt.customerId())
                .setClientReferenceId(orderId)
                .putMetadata(ORDER_ID, orderId)
                .putMetadata(ATTEMPT_ID, attemptId)
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .setDescription(description(attempt))
                        .setStatementDescriptorSuffix(statementDescriptorSuffix(attempt))
                        .putMetadata(ORDER_ID, orderId)
                        .putMetadata(ATTEMPT_ID, attemptId)
                        .build())
                .setSuccessUrl(attempt.publicUrl() + "/checkout/success?session_id={CHECKOUT_SESSION_ID}")
                .setCancelUrl(attempt.publicUrl() + "/cart")
                .setExpiresAt(attempt.expiresAt().getEpochSecond());
        for (PayableOrder.Line line : attempt.lines()) {
            params.addLineItem(SessionCreateParams.LineItem.builder()
                    .setQuantity((long) line.quantity())
                    .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                            .setCurrency(line.unitPrice().currencyCode())
                            .setUnitAmount(line.unitPrice().minorUnits())
                            .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                    .setName(line.title())
                                    .putMetadata("book_id", Long.toString(line.bookId()))
                                    .build())
                            .build())
                    .build());
        }
        return params.build();
    }

    private static PaymentIntentCreateParams intentParams(CheckoutAttempt attempt) {
        String orderId = Long.toString(attempt.orderId());
        return PaymentIntentCreateParams.builder()
                .setAmount(attempt.amount().minorUnits())
                .setCurrency(attempt.amount().currencyCode())
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder().setEnabled(true).build())
                .setCustomer(attempt.customerId())
                .setDescription(description(attempt))
                .setStatementDescriptorSuffix(statementDescriptorSuffix(attempt))
                .putMetadata(ORDER_ID, orderId)
                .putMetadata(ATTEMPT_ID, Long.toString(attempt.id()))
                .build();
    }

    private static String description(CheckoutAttempt attempt) {
        return "Bookstore order #" + attempt.orderId();
    }

    /**
     * The order number on the buyer's card statement, after the account's prefix ("BOOKSTORE* ORDER 42"). Stripe
     * allows 22 characters for prefix, "* " and suffix together, and a prefix of up to 10, so the suffix keeps to 10
     * (with a letter in it, and none of {@code < > \ ' " *}); a number too long for that leaves the statement to the prefix.
     * Stripe puts the suffix on card payments only.
     */
    static String statementDescriptorSuffix(CheckoutAttempt attempt) {
        return statementDescriptorSuffix(attempt.orderId());
    }

    static String statementDescriptorSuffix(long orderId) {
        for (String suffix : new String[] {"ORDER " + orderId, "ORD " + orderId, "O" + orderId}) {
            if (suffix.length() <= MAX_SUFFIX) {
                return suffix;
            }
        }
        return null;
    }
}
