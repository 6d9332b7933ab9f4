package org.bookstore.store.payments;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /stripe/webhook}. Verifies the signature on the raw body before anything else; a bad or stale
 * signature is a 400 and changes nothing. Every verified event is answered 2xx, including the types the store
 * does not use (a 4xx would make Stripe retry them for days).
 */
@RestController
class StripeWebhookController {

    static final String PATH = "/stripe/webhook";
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    private final StripeAccess stripe;
    private final StripeEvents events;

    StripeWebhookController(StripeAccess stripe, StripeEvents events) {
        this.stripe = stripe;
        this.events = events;
    }

    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> receive(@RequestBody(required = false) byte[] body,
            @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
        String secret = stripe.webhookSecret();
        if (secret == null || secret.isBlank()) {
            log.error("A webhook arrived but no signing secret is configured (STRIPE_WEBHOOK_SECRET)");
            return ResponseEntity.status(503).body("{\"error\":\"webhook signing secret not configured\"}");
        }
        String payload = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature == null ? "" : signature, secret);
        } catch (SignatureVerificationException e) {
            log.warn("Refused a webhook with an invalid or stale signature: {}", e.getMessage());
            return ResponseEntity.badRequest().body("{\"error\":\"invalid signature\"}");
        } catch (RuntimeException malformed) {
            log.warn("Refused a signed webhook whose body is not an event: {}", malformed.getMessage());
            return ResponseEntity.badRequest().body("{\"error\":\"malformed event\"}");
        }
        boolean handled = events.handle(event);
        return ResponseEntity.ok("{\"received\":true,\"handled\":" + handled + "}");
    }
}
