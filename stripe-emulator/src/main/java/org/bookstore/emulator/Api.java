package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@code /v1} API: auth, fault injection, idempotency, routing and expansion. */
final class Api {
    /** An HTTP response to send. */
    static final class Resp {
        final int status;
        final byte[] body;
        final Map<String, String> headers = new LinkedHashMap<>();
        long delayMillis;
        /** Close the connection without answering. */
        boolean drop;

        Resp(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        static Resp json(int status, JsonNode n) {
            Resp r = new Resp(status, Json.write(n).getBytes(StandardCharsets.UTF_8));
            r.headers.put("Content-Type", "application/json");
            return r;
        }

        Resp copy() {
            Resp r = new Resp(status, body);
            r.headers.putAll(headers);
            return r;
        }
    }

    /** A scheduled failure for matching requests. */
    static final class Fault {
        final String method;
        final String pathPrefix;
        int remaining;
        final int status;
        final long hangMillis;
        final String shouldRetry;
        /** Hang before doing the work (the request stays in flight) instead of after it. */
        boolean hangBefore;
        /** Close the connection without an answer and without doing the work. */
        boolean drop;

        Fault(String method, String pathPrefix, int count, int status, long hangMillis, String shouldRetry) {
            this.method = method == null || method.isEmpty() ? "*" : method.toUpperCase();
            this.pathPrefix = pathPrefix == null ? "/" : pathPrefix;
            this.remaining = count;
            this.status = status;
            this.hangMillis = hangMillis;
            this.shouldRetry = shouldRetry;
        }

        /**
         * A path starting with the prefix; a prefix ending in {@code $} names one path exactly ({@code
         * /v1/checkout/sessions$} is a new session, not {@code /v1/checkout/sessions/cs_.../expire}).
         */
        boolean matches(String path) {
            return pathPrefix.endsWith("$") ? path.equals(pathPrefix.substring(0, pathPrefix.length() - 1))
                    : path.startsWith(pathPrefix);
        }

        ObjectNode toJson() {
            ObjectNode o = Json.obj();
            o.put("method", method);
            o.put("path", pathPrefix);
            o.put("remaining", remaining);
            o.put("status", status);
            o.put("hang_ms", hangMillis);
            o.put("hang_before", hangBefore);
            o.put("drop", drop);
            return o;
        }
    }

    private static final class Idem {
        final String fingerprint;
        final String endpoint;
        final CompletableFuture<Resp> result = new CompletableFuture<>();
        final long createdMillis = System.currentTimeMillis();

        Idem(String fingerprint, String endpoint) {
            this.fingerprint = fingerprint;
            this.endpoint = endpoint;
        }
    }

    private final Engine engine;
    private final long idempotencyWaitMillis;
    /** With {@code requireKeys}, the only keys accepted; otherwise any test key is. */
    private final Keys keys;
    private final List<Fault> faults = new ArrayList<>();
    private final Map<String, Idem> idempotency = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    /** The emulator's keys, and whether they are the only ones it accepts. */
    record Keys(String secret, String publishable, boolean required) {
        boolean accepts(String key) {
            return !required || same(key, secret) || same(key, publishable);
        }

        /** Compared in constant time, so answer times give nothing of a key away. */
        private static boolean same(String a, String b) {
            return java.security.MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
                    b.getBytes(StandardCharsets.UTF_8));
        }
    }

    Api(Engine engine, long idempotencyWaitMillis, Keys keys) {
        this.engine = engine;
        this.idempotencyWaitMillis = idempotencyWaitMillis;
        this.keys = keys;
    }

    // ---- faults

    synchronized void addFault(Fault f) {
        faults.add(f);
    }

    synchronized void clearFaults() {
        faults.clear();
    }

    synchronized List<ObjectNode> faults() {
        List<ObjectNode> out = new ArrayList<>();
        faults.forEach(f -> out.add(f.toJson()));
        return out;
    }

    /** Faults still waiting for a request to hit. */
    synchronized int pendingFaults() {
        return (int) faults.stream().filter(f -> f.remaining > 0).count();
    }

    private synchronized Fault takeFault(String method, String path) {
        for (Fault f : faults) {
            if (f.remaining > 0 && (f.method.equals("*") || f.method.equals(method)) && f.matches(path)) {
                f.remaining--;
                return f;
            }
        }
        faults.removeIf(f -> f.remaining <= 0);
        return null;
    }

    void clearIdempotency() {
        idempotency.clear();
    }

    // ---- request handling

    Resp handle(String method, String path, String query, String body, String auth, String idemKey,
            String requestId) {
        Fault fault = takeFault(method, path);
        if (fault != null && fault.drop) {
            Resp dropped = new Resp(0, new byte[0]);
            dropped.drop = true;
            return dropped;
        }
        if (fault != null && fault.status > 0) {
            return faultResponse(fault);
        }
        long before = fault != null && fault.hangBefore ? fault.hangMillis : 0;
        Resp r = authenticatedHandle(method, path, query, body, auth, idemKey, requestId, before);
        if (fault != null && fault.hangMillis > 0 && !fault.hangBefore) {
            r = r.copy();
            r.delayMillis = fault.hangMillis;
        }
        return r;
    }

    private static Resp faultResponse(Fault f) {
        StripeError e;
        if (f.status == 429) {
            e = new StripeError(429, "invalid_request_error", "rate_limit", null,
                    "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
                    null);
        } else if (f.status == 503) {
            e = new StripeError(503, "api_error", null, null,
                    "Stripe is temporarily unavailable. Please try again later.", null);
        } else {
            e = new StripeError(f.status, "api_error", null, null,
                    "An unknown error occurred. Please retry your request.", null);
        }
        Resp r = Resp.json(f.status, e.body());
        String sr = f.shouldRetry;
        if (sr == null && f.status == 503) {
            sr = "true";
        }
        if (sr != null && !sr.isEmpty()) {
            r.headers.put("Stripe-Should-Retry", sr);
        }
        return r;
    }

    /** Requests currently being processed (after auth and idempotency checks). */
    int inFlight() {
        return inFlight.get();
    }

    private Resp authenticatedHandle(String method, String path, String query, String body, String auth,
            String idemKey, String requestId, long hangBefore) {
        String key;
        try {
            key = apiKey(auth);
            if (!keys.accepts(key)) {
                throw invalidKey(key);
            }
        } catch (StripeError e) {
            return Resp.json(e.status, e.body());
        }
        boolean publishable = key.startsWith("pk_");
        Params params;
        try {
            params = Params.parse(query, body);
        } catch (StripeError e) {
            return Resp.json(e.status, e.body());
        }
        if (publishable && !publishableAllowed(method, path)) {
            StripeError e = new StripeError(403, "invalid_request_error", null, null,
                    "This API call cannot be made with a publishable API key. Please use a secret API key. You can "
                            + "find a list of your API keys at https://dashboard.stripe.com/account/apikeys.", null);
            return Resp.json(403, e.body());
        }
        if (idemKey != null && !idemKey.isEmpty() && method.equals("POST")) {
            if (idemKey.length() > 255) {
                return Resp.json(400, StripeError.invalid("Idempotency-Key must be at most 255 characters long.",
                        null).body());
            }
            String scope = key + "\u0000" + idemKey;
            String endpoint = method + " " + path;
            if (idempotency.size() > 10_000) {
                // keys may be pruned after 24 hours, as Stripe does
                long cutoff = System.currentTimeMillis() - 24L * 3600 * 1000;
                idempotency.values().removeIf(i -> i.result.isDone() && i.createdMillis < cutoff);
            }
            Idem fresh = new Idem(params.fingerprint(), endpoint);
            Idem existing = idempotency.putIfAbsent(scope, fresh);
            if (existing != null) {
                if (!existing.endpoint.equals(endpoint)) {
                    return Resp.json(400, new StripeError(400, "idempotency_error", null, null,
                            "Keys for idempotent requests can only be used for the same endpoint they were first used "
                                    + "for ('" + existing.endpoint + "' vs '" + endpoint + "'). Try using a key other "
                                    + "than '" + idemKey + "' if you meant to execute a different request.",
                            null).body());
                }
                if (!existing.fingerprint.equals(fresh.fingerprint)) {
                    return Resp.json(400, new StripeError(400, "idempotency_error", null, null,
                            "Keys for idempotent requests can only be used with the same parameters they were first "
                                    + "used with. Try using a key other than '" + idemKey
                                    + "' if you meant to execute a different request.", null).body());
                }
                try {
                    Resp first = existing.result.get(idempotencyWaitMillis, TimeUnit.MILLISECONDS);
                    Resp replay = first.copy();
                    replay.headers.put("Idempotent-Replayed", "true");
                    replay.headers.put("Idempotency-Key", idemKey);
                    return replay;
                } catch (TimeoutException e) {
                    return Resp.json(409, new StripeError(409, "invalid_request_error", "idempotency_key_in_use",
                            null, "There is currently another in-progress request using this Idempotency Key (that "
                                    + "probably means you submitted twice, and the other request is still going "
                                    + "through): '" + idemKey + "'. Please try again later.", null).body());
                } catch (Exception e) {
                    return Resp.json(500, new StripeError(500, "api_error", null, null, "An unknown error occurred",
                            null).body());
                }
            }
            Resp r;
            try {
                r = execute(method, path, params, publishable, requestId, idemKey, hangBefore);
            } catch (RuntimeException | Error e) {
                // even a StackOverflowError completes the key, or every retry would wait, then get a 409
                r = internalError(e);
            }
            r.headers.put("Idempotency-Key", idemKey);
            r.headers.put("Original-Request", requestId);
            fresh.result.complete(r);
            return r;
        }
        return execute(method, path, params, publishable, requestId, null, hangBefore);
    }

    private static Resp internalError(Throwable e) {
        StripeError err = new StripeError(500, "api_error", null, null,
                "An unknown error occurred: " + e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        return Resp.json(500, err.body());
    }

    /** What a publishable key may do: what Stripe.js does with it. */
    static boolean publishableAllowed(String method, String path) {
        if (method.equals("POST") && (path.equals("/v1/payment_methods") || path.equals("/v1/tokens"))) {
            return true;
        }
        if (path.matches("/v1/payment_intents/[^/]+")) {
            return method.equals("GET");
        }
        return method.equals("POST") && path.matches("/v1/payment_intents/[^/]+/confirm");
    }

    /** The key an Authorization header presents (Bearer, Basic or bare), or null without one. */
    static String presentedKey(String auth) {
        if (auth == null || auth.isBlank()) {
            return null;
        }
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String dec;
            try {
                dec = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                dec = "";
            }
            int c = dec.indexOf(':');
            return c < 0 ? dec : dec.substring(0, c);
        }
        return auth.trim();
    }

    static String apiKey(String auth) {
        String key = presentedKey(auth);
        if (key == null) {
            throw new StripeError(401, "invalid_request_error", null, null,
                    "You did not provide an API key. You need to provide your API key in the Authorization header, "
                            + "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
                            + "https://stripe.com/docs/api#authentication for details, or we can help at "
                            + "https://support.stripe.com/.", null);
        }
        if (key.matches("(sk|rk|pk)_test_[A-Za-z0-9_]+")) {
            return key;
        }
        throw invalidKey(key);
    }

    /** Stripe's 401, showing the key's prefix and last four characters only: {@code sk_test_****abcd}. */
    static StripeError invalidKey(String key) {
        String masked = key.length() > 4 ? key.substring(0, Math.min(8, key.length() - 4)) + "****"
                + key.substring(key.length() - 4) : key;
        return new StripeError(401, "invalid_request_error", null, null, "Invalid API Key provided: " + masked, null);
    }

    private final Object stalls = new Object();
    private long stallsReleased;

    /** Keeps a stalled request in flight for {@code millis}, or until {@link #releaseStalls()}. */
    private void stall(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (stalls) {
            long released = stallsReleased;
            long left = millis;
            while (left > 0 && released == stallsReleased) {
                try {
                    stalls.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                left = deadline - System.currentTimeMillis();
            }
        }
    }

    /** Lets every stalled request go on now. */
    void releaseStalls() {
        synchronized (stalls) {
            stallsReleased++;
            stalls.notifyAll();
        }
    }

    private Resp execute(String method, String path, Params p, boolean publishable, String requestId,
            String idemKey, long hangBefore) {
        Events.REQUEST.set(new String[] {requestId, idemKey});
        inFlight.incrementAndGet();
        try {
            if (hangBefore > 0) {
                stall(hangBefore);
            }
            List<String> expand = p.has("expand") ? p.strings("expand") : List.of();
            JsonNode result = engine.locked(() -> {
                JsonNode r = route(method, path, p, publishable);
                return expand.isEmpty() ? r : engine.expansion.expand(r, expand);
            });
            return Resp.json(200, result);
        } catch (StripeError e) {
            Resp r = Resp.json(e.status, e.body());
            r.headers.putAll(e.headers);
            return r;
        } finally {
            inFlight.decrementAndGet();
            Events.REQUEST.remove();
        }
    }

    private JsonNode route(String method, String path, Params p, boolean pk) {
        String[] s = path.substring(1).split("/");
        int n = s.length;
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        boolean del = method.equals("DELETE");
        String r = n > 1 ? s[1] : "";
        Engine e = engine;
        switch (r) {
            case "customers":
                if (n == 3 && get && s[2].equals("search")) {
                    return e.search.search("customer", "/v1/customers/search", p);
                }
                if (n == 2 && post) {
                    return e.customers.create(p);
                }
                if (n == 2 && get) {
                    return e.customers.list(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.customers.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.customers.update(s[2], p);
                }
                if (n == 3 && del) {
                    return e.customers.delete(s[2]);
                }
                if (n == 4 && get && s[3].equals("payment_methods")) {
                    return e.paymentMethods.list(p, s[2]);
                }
                if (n >= 4 && s[3].equals("sources")) {
                    if (n == 4 && post) {
                        return e.sources.create(s[2], p);
                    }
                    if (n == 4 && get) {
                        return e.sources.list(s[2], p);
                    }
                    if (n == 5 && get) {
                        return e.sources.retrieve(s[2], s[4], p);
                    }
                    if (n == 5 && post) {
                        return e.sources.update(s[2], s[4], p);
                    }
                    if (n == 5 && del) {
                        return e.sources.delete(s[2], s[4], p);
                    }
                }
                break;
            case "tokens":
                if (n == 2 && post) {
                    return e.tokens.create(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.tokens.retrieve(s[2]);
                }
                break;
            case "balance":
                if (n == 2 && get) {
                    return e.balanceTransactions.balance(p);
                }
                break;
            case "balance_transactions":
                if (n == 2 && get) {
                    return e.balanceTransactions.list(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.balanceTransactions.retrieve(s[2]);
                }
                break;
            case "coupons":
                if (n == 2 && post) {
                    return e.coupons.create(p);
                }
                if (n == 2 && get) {
                    return e.coupons.list(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.coupons.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.coupons.update(s[2], p);
                }
                if (n == 3 && del) {
                    p.allow();
                    return e.coupons.delete(s[2]);
                }
                break;
            case "promotion_codes":
                if (n == 2 && post) {
                    return e.coupons.createPromotionCode(p);
                }
                if (n == 2 && get) {
                    return e.coupons.listPromotionCodes(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.coupons.retrievePromotionCode(s[2]);
                }
                if (n == 3 && post) {
                    return e.coupons.updatePromotionCode(s[2], p);
                }
                break;
            case "shipping_rates":
                if (n == 2 && post) {
                    return e.shippingRates.create(p);
                }
                if (n == 2 && get) {
                    return e.shippingRates.list(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.shippingRates.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.shippingRates.update(s[2], p);
                }
                break;
            case "tax_rates":
                if (n == 2 && post) {
                    return e.taxRates.create(p);
                }
                if (n == 2 && get) {
                    return e.taxRates.list(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.taxRates.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.taxRates.update(s[2], p);
                }
                break;
            case "products":
                if (n == 3 && get && s[2].equals("search")) {
                    return e.search.search("product", "/v1/products/search", p);
                }
                if (n == 2 && post) {
                    return e.products.create(p);
                }
                if (n == 2 && get) {
                    return e.products.list(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.products.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.products.update(s[2], p);
                }
                break;
            case "prices":
                if (n == 3 && get && s[2].equals("search")) {
                    return e.search.search("price", "/v1/prices/search", p);
                }
                if (n == 2 && post) {
                    return e.prices.create(p);
                }
                if (n == 2 && get) {
                    return e.prices.list(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.prices.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.prices.update(s[2], p);
                }
                break;
            case "payment_methods":
                if (n == 2 && post) {
                    return e.paymentMethods.create(p);
                }
                if (n == 2 && get) {
                    return e.paymentMethods.list(p, null);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.paymentMethods.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.paymentMethods.update(s[2], p);
                }
                if (n == 4 && post && s[3].equals("attach")) {
                    return e.paymentMethods.attach(s[2], p);
                }
                if (n == 4 && post && s[3].equals("detach")) {
                    return e.paymentMethods.detach(s[2], p);
                }
                break;
            case "payment_intents":
                if (n == 3 && get && s[2].equals("search")) {
                    return e.search.search("payment_intent", "/v1/payment_intents/search", p);
                }
                if (n == 2 && post) {
                    return e.paymentIntents.create(p);
                }
                if (n == 2 && get) {
                    return e.paymentIntents.list(p);
                }
                if (n == 3 && get) {
                    return e.paymentIntents.retrieve(s[2], p, pk);
                }
                if (n == 3 && post) {
                    return e.paymentIntents.update(s[2], p);
                }
                if (n == 4 && post) {
                    switch (s[3]) {
                        case "confirm":
                            return e.paymentIntents.confirm(s[2], p, pk);
                        case "capture":
                            return e.paymentIntents.capture(s[2], p);
                        case "cancel":
                            return e.paymentIntents.cancel(s[2], p);
                        default:
                            break;
                    }
                }
                break;
            case "charges":
                if (n == 3 && get && s[2].equals("search")) {
                    return e.search.search("charge", "/v1/charges/search", p);
                }
                if (n == 2 && get) {
                    return e.charges.list(p);
                }
                if (n == 2 && post) {
                    return e.charges.create(p);
                }
                if (n == 4 && post && s[3].equals("capture")) {
                    return e.charges.capture(s[2], p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.charges.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.charges.update(s[2], p);
                }
                if (n == 4 && get && s[3].equals("refunds")) {
                    return e.refunds.list(p, s[2]);
                }
                break;
            case "refunds":
                if (n == 2 && post) {
                    return e.refunds.create(p);
                }
                if (n == 2 && get) {
                    return e.refunds.list(p, null);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.refunds.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.refunds.update(s[2], p);
                }
                if (n == 4 && post && s[3].equals("cancel")) {
                    return e.refunds.cancel(s[2], p);
                }
                break;
            case "disputes":
                if (n == 2 && get) {
                    return e.disputes.list(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.disputes.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.disputes.update(s[2], p);
                }
                if (n == 4 && post && s[3].equals("close")) {
                    return e.disputes.close(s[2], p);
                }
                break;
            case "events":
                if (n == 2 && get) {
                    return e.events.list(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.events.retrieve(s[2]);
                }
                break;
            case "webhook_endpoints":
                if (n == 2 && post) {
                    return e.webhookEndpoints.create(p);
                }
                if (n == 2 && get) {
                    return e.webhookEndpoints.list(p);
                }
                if (n == 3 && get) {
                    p.allow("expand[]");
                    return e.webhookEndpoints.retrieve(s[2]);
                }
                if (n == 3 && post) {
                    return e.webhookEndpoints.update(s[2], p);
                }
                if (n == 3 && del) {
                    return e.webhookEndpoints.delete(s[2]);
                }
                break;
            case "checkout":
                if (n >= 3 && s[2].equals("sessions")) {
                    if (n == 3 && post) {
                        return e.checkoutSessions.create(p);
                    }
                    if (n == 3 && get) {
                        return e.checkoutSessions.list(p);
                    }
                    if (n == 4 && get) {
                        p.allow("expand[]");
                        return e.checkoutSessions.retrieve(s[3]);
                    }
                    if (n == 4 && post) {
                        return e.checkoutSessions.update(s[3], p);
                    }
                    if (n == 5 && get && s[4].equals("line_items")) {
                        return e.checkoutSessions.listLineItems(s[3], p);
                    }
                    if (n == 5 && post && s[4].equals("expire")) {
                        return e.checkoutSessions.expire(s[3], p);
                    }
                }
                break;
            default:
                break;
        }
        throw new StripeError(404, "invalid_request_error", null, null, "Unrecognized request URL (" + method + ": "
                + path + "). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.", null);
    }
}
