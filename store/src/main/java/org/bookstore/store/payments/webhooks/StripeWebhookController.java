package org.bookstore.store.payments.webhooks;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /stripe/webhook}. Reads at most {@link #MAX_BODY} bytes (a real event is a few kilobytes; anything
 * larger is a 413 and is never held in memory), then verifies the signature on the raw body before anything else;
 * a bad or stale signature is a 400 and changes nothing. Every verified event is answered 2xx, including the types
 * the store does not use (a 4xx would make Stripe retry them for days). An event the store acts on is answered as
 * soon as it is committed to the {@link StripeInbox}, which acts on it right after, and again later if Stripe cannot
 * be asked now; if the database cannot keep it, the delivery fails and Stripe sends it again.
 */
@RestController
public class StripeWebhookController {

    public static final String PATH = "/stripe/webhook";
    static final int MAX_BODY = 512 * 1024;
    static final int MAX_EVENT_ID = 255;
    private static final String RECEIVED = "{\"received\":true}";
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    private final StripeAccess stripe;
    private final StripeEvents events;
    private final StripeInbox inbox;

    StripeWebhookController(StripeAccess stripe, StripeEvents events, StripeInbox inbox) {
        this.stripe = stripe;
        this.events = events;
        this.inbox = inbox;
    }

    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> receive(HttpServletRequest request,
            @RequestHeader(name = "Stripe-Signature", required = false) String signature) throws IOException {
        String secret = stripe.webhookSecret();
        if (secret == null || secret.isBlank()) {
            log.error("A webhook arrived but no signing secret is configured (STRIPE_WEBHOOK_SECRET)");
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("{\"error\":\"webhook signing secret not configured\"}");
        }
        byte[] body = readAtMost(request);
        if (body == null) {
            log.warn("Refused a webhook body larger than {} bytes", MAX_BODY);
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body("{\"error\":\"body too large\"}");
        }
        String payload = new String(body, StandardCharsets.UTF_8);
        try {
            Webhook.Signature.verifyHeader(payload, signature == null ? "" : signature, secret, Webhook.DEFAULT_TOLERANCE);
        } catch (SignatureVerificationException e) {
            log.warn("Refused a webhook with an invalid or stale signature: {}", e.getMessage());
            return ResponseEntity.badRequest().body("{\"error\":\"invalid signature\"}");
        }
        // Most deliveries are repeats or of types the store does not use: those are answered from the event's id and
        // type alone, without reading the whole event or, for unused types, the database. A database that cannot be
        // asked fails the delivery as keeping it would, never as a malformed event.
        Optional<Envelope> envelope = Envelope.read(payload);
        if (envelope.isPresent() && events.needsNothing(envelope.get().id(), envelope.get().type())) {
            return ResponseEntity.ok(RECEIVED);
        }
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
        if (!StripeEvents.concernsTheStore(event.getType()) || event.getId() == null) {
            return ResponseEntity.ok(RECEIVED);
        }
        if (event.getId().length() > MAX_EVENT_ID) {
            log.warn("Refused a signed webhook whose event id is {} characters long", event.getId().length());
            return ResponseEntity.badRequest().body("{\"error\":\"malformed event\"}");
        }
        inbox.accept(event, payload);
        return ResponseEntity.ok(RECEIVED);
    }

    /** An event's id and type, read without building the event: what decides whether it needs anything done. */
    record Envelope(String id, String type) {

        /**
         * Empty unless the body is exactly one JSON object whose last id and last type at its top level are strings:
         * read as Stripe's SDK reads it (a repeated key keeps its last value), or not at all, so the SDK decides.
         */
        static Optional<Envelope> read(String payload) {
            String id = null;
            String type = null;
            try (JsonReader json = new JsonReader(new StringReader(payload))) {
                json.beginObject();
                while (json.hasNext()) {
                    String name = json.nextName();
                    boolean envelope = name.equals("id") || name.equals("type");
                    if (envelope && json.peek() != JsonToken.STRING) {
                        return Optional.empty();
                    } else if (name.equals("id")) {
                        id = json.nextString();
                    } else if (name.equals("type")) {
                        type = json.nextString();
                    } else {
                        json.skipValue();
                    }
                }
                json.endObject();
                if (json.peek() != JsonToken.END_DOCUMENT) {
                    return Optional.empty();
                }
            } catch (IOException | RuntimeException notAnEvent) {
                return Optional.empty();
            }
            return id == null || type == null ? Optional.empty() : Optional.of(new Envelope(id, type));
        }
    }

    /** The body, or null if it is larger than {@link #MAX_BODY}; a declared length that is too large is not read at all. */
    private static byte[] readAtMost(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            return body.length > MAX_BODY ? null : body;
        }
    }
}
