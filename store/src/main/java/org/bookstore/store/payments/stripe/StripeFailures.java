package org.bookstore.store.payments.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.StripeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells apart what went wrong when the store called Stripe. Stripe being down, slow or rate limiting is an outage
 * to wait out; a refused request (invalid parameters, a wrong or revoked key) is a bug or a configuration mistake
 * in this store, logged as an error with Stripe's request id so it can be looked up in Stripe's logs.
 */
public final class StripeFailures {

    private static final Logger log = LoggerFactory.getLogger(StripeFailures.class);

    private StripeFailures() {}

    /** Whether Stripe may have done what it was asked even though the store got no answer (a timeout, a lost connection). */
    public static boolean outcomeUnknown(StripeException e) {
        return e instanceof ApiConnectionException || e instanceof IdempotencyException;
    }

    /** The store's own mistake: Stripe understood the request and refused it. */
    public static boolean ourMistake(StripeException e) {
        return (e instanceof InvalidRequestException && !(e instanceof IdempotencyException))
                || e instanceof AuthenticationException || e instanceof PermissionException;
    }

    /** Logs the failure at the level it deserves. */
    public static void log(String what, StripeException e) {
        if (ourMistake(e)) {
            log.error("Stripe refused to {}: {} (HTTP {}, code {}, request {}). This is a bug in the store or a wrong "
                    + "Stripe key, not an outage.", what, e.getMessage(), e.getStatusCode(), e.getCode(), e.getRequestId());
        } else {
            log.warn("Could not {}: Stripe is unavailable ({}: {}, request {})", what, e.getClass().getSimpleName(),
                    e.getMessage(), e.getRequestId());
        }
    }
}
