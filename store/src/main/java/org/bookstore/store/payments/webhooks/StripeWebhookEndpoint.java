package org.bookstore.store.payments.webhooks;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.bookstore.store.common.Warnings;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code POST /stripe/webhook}, answered by a filter in front of the session filter, Spring Security's chain and
 * Spring MVC: a webhook carries no session, no cookie and no CSRF token, and is authenticated by its signature alone,
 * so none of them has anything to do for it but would cost more than the answer. Reads at most {@link #MAX_BODY}
 * bytes (a real event is a few kilobytes; anything larger is a 413 and is never held in memory), then verifies the
 * signature on the raw body before anything else; a bad or stale signature is a 400 and changes nothing. Every
 * verified event is answered 2xx, including the types the store does not use (a 4xx would make Stripe retry them
 * for days). An event the store acts on is answered as soon as it is committed to the {@link StripeInbox}, which
 * acts on it right after, and again later if Stripe cannot be asked now; if the database cannot keep it, the
 * delivery fails with a 500 and Stripe sends it again. Any other method at this address is a 405.
 */
@Configuration(proxyBeanMethods = false)
public class StripeWebhookEndpoint {

    public static final String PATH = "/stripe/webhook";
    static final int MAX_BODY = 512 * 1024;
    /**
     * Bodies read at once: each may take a few copies of {@link #MAX_BODY} until its signature is checked, so without
     * a bound a crowd of strangers' large bodies could fill the heap. More at once are answered 503 (Stripe tries
     * again later); Stripe itself sends far fewer at once.
     */
    public static final int MAX_READING = 32;
    /** A body must arrive within this, however slowly its bytes trickle in, or the delivery is a 408. */
    static final long READ_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(20);
    static final int MAX_EVENT_ID = 255;
    private static final Answer RECEIVED = new Answer(HttpServletResponse.SC_OK, "{\"received\":true}");
    private static final Answer INVALID_SIGNATURE = new Answer(HttpServletResponse.SC_BAD_REQUEST, "{\"error\":\"invalid signature\"}");
    private static final Answer MALFORMED_EVENT = new Answer(HttpServletResponse.SC_BAD_REQUEST, "{\"error\":\"malformed event\"}");
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookEndpoint.class);
    /** Warnings a stranger can cause, each logged at most once a minute. */
    private static final Warnings busy = new Warnings(log);
    private static final Warnings slowBodies = new Warnings(log);
    private static final Warnings largeBodies = new Warnings(log);
    private static final Warnings badSignatures = new Warnings(log);

    private final Semaphore reading = new Semaphore(MAX_READING);

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> stripeWebhookFilter(StripeAccess stripe, StripeInbox inbox) {
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (!request.getRequestURI().equals(request.getContextPath() + PATH)) {
                    chain.doFilter(request, response);
                    return;
                }
                Answer answer;
                if (!"POST".equals(request.getMethod())) {
                    response.setHeader("Allow", "POST");
                    answer = new Answer(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "{\"error\":\"POST only\"}");
                } else if (!reading.tryAcquire()) {
                    busy.warn("Answered a webhook 503: {} bodies are being read already", MAX_READING);
                    response.setHeader("Retry-After", "60");
                    answer = new Answer(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "{\"error\":\"busy, try again later\"}");
                } else {
                    try {
                        answer = receive(request, stripe, inbox);
                    } catch (SlowBody slow) {
                        slowBodies.warn("Refused a webhook whose body took longer than {} s to arrive", TimeUnit.NANOSECONDS.toSeconds(READ_WITHIN_NANOS));
                        answer = new Answer(HttpServletResponse.SC_REQUEST_TIMEOUT, "{\"error\":\"body too slow\"}");
                    } catch (RuntimeException e) {
                        log.error("Could not keep a Stripe webhook; Stripe will send it again", e);
                        answer = new Answer(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "{\"error\":\"try again later\"}");
                    } finally {
                        reading.release();
                    }
                }
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setHeader("Cache-Control", "no-store");
                response.setStatus(answer.status());
                response.setContentType("application/json");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                response.getWriter().write(answer.body());
            }
        });
        registration.addUrlPatterns(PATH);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        // After the request limits and before the session filter, as the pages served to plain guests.
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 3);
        return registration;
    }

    record Answer(int status, String body) {
    }

    static Answer receive(HttpServletRequest request, StripeAccess stripe, StripeInbox inbox) throws IOException {
        String signature = request.getHeader("Stripe-Signature");
        String secret = stripe.webhookSecret();
        if (secret == null || secret.isBlank()) {
            log.error("A webhook arrived but no signing secret is configured (STRIPE_WEBHOOK_SECRET)");
            return new Answer(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "{\"error\":\"webhook signing secret not configured\"}");
        }
        byte[] body = readAtMost(request);
        if (body == null) {
            largeBodies.warn("Refused a webhook body larger than {} bytes", MAX_BODY);
            return new Answer(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "{\"error\":\"body too large\"}");
        }
        // Checked on the body's bytes as they came, with the verdict of Stripe's SDK but none of its copies of them.
        String refusal = WebhookSignature.refusal(body, signature, secret, Webhook.DEFAULT_TOLERANCE,
                System.currentTimeMillis() / 1000);
        if (refusal != null) {
            badSignatures.warn("Refused a webhook with an invalid or stale signature: {}", refusal);
            return INVALID_SIGNATURE;
        }
        String payload = new String(body, StandardCharsets.UTF_8);
        // Signed by Stripe: from here on the store's workers yield to this delivery. (Not before: a stranger's
        // request trickling its body in could otherwise keep them waiting.)
        try (StripeInbox.Answering answering = inbox.answering()) {
            return signed(payload, signature, secret, inbox);
        }
    }

    private static Answer signed(String payload, String signature, String secret, StripeInbox inbox) {
        // Most deliveries are repeats or of types the store does not use: they are answered from the event's id and
        // type alone, read exactly as Stripe's SDK reads them, without building the event; the store's workers build
        // it from the kept body. A body that is not plainly one event goes to the SDK, which decides.
        Optional<Envelope> envelope = Envelope.read(payload);
        Event event = null;
        if (envelope.isEmpty()) {
            try {
                event = Webhook.constructEvent(payload, signature == null ? "" : signature, secret);
            } catch (SignatureVerificationException e) {
                badSignatures.warn("Refused a webhook with an invalid or stale signature: {}", e.getMessage());
                return INVALID_SIGNATURE;
            } catch (RuntimeException malformed) {
                log.warn("Refused a signed webhook whose body is not an event: {}", malformed.getMessage());
                return MALFORMED_EVENT;
            }
        }
        String id = event != null ? event.getId() : envelope.get().id();
        String type = event != null ? event.getType() : envelope.get().type();
        if (!StripeEvents.concernsTheStore(type) || id == null) {
            return RECEIVED;
        }
        if (id.length() > MAX_EVENT_ID) {
            log.warn("Refused a signed webhook whose event id is {} characters long", id.length());
            return MALFORMED_EVENT;
        }
        // Kept unless it was acted on already or is waiting already; a database that cannot be asked fails the
        // delivery (a 500, so Stripe sends it again), never as a malformed event.
        inbox.accept(id, type, payload);
        return RECEIVED;
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

    /** A body still arriving after {@link #READ_WITHIN_NANOS}. */
    static final class SlowBody extends IOException {
        SlowBody() {
            super("webhook body too slow", null);
        }
    }

    /**
     * The body, or null if it is larger than {@link #MAX_BODY}; a declared length that is too large is not read at
     * all. Throws {@link SlowBody} once the body has taken longer than {@link #READ_WITHIN_NANOS} (each read also
     * ends at the server's connection timeout), so a client trickling its bytes holds a reading slot for so long only.
     */
    private static byte[] readAtMost(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY) {
            return null;
        }
        long deadline = System.nanoTime() + READ_WITHIN_NANOS;
        // A body of the declared length is read into an array of exactly that length, and kept as it is.
        byte[] body = new byte[declared >= 0 ? (int) declared : 16 * 1024];
        int length = 0;
        try (InputStream in = request.getInputStream()) {
            while (true) {
                if (length == body.length) {
                    if (length > MAX_BODY) {
                        return null;
                    }
                    int next = in.read();
                    if (next < 0) {
                        return body;
                    }
                    body = Arrays.copyOf(body, Math.max(Math.min(body.length * 2, MAX_BODY + 1), length + 1));
                    body[length++] = (byte) next;
                    continue;
                }
                int read = in.read(body, length, body.length - length);
                if (read < 0) {
                    break;
                }
                length += read;
                if (length > MAX_BODY) {
                    return null;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new SlowBody();
                }
            }
        }
        return Arrays.copyOf(body, length);
    }
}
