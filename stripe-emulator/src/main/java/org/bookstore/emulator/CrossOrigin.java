package org.bookstore.emulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * CORS for Stripe.js only. A page on another origin may call just what the stand-in Stripe.js calls from the
 * merchant's page with a publishable key (retrieving and confirming a PaymentIntent; the card frame creates payment
 * methods from the emulator's own origin), and only from the allowed origins: any, when none are configured, as
 * Stripe's API answers Stripe.js on every site. Secret-key requests never get CORS headers, so no page can read the
 * API through a buyer's browser.
 */
final class CrossOrigin {
    private static final String EXPOSED = "Request-Id, Idempotent-Replayed, Stripe-Should-Retry";

    /** Allowed origins as {@code scheme://host[:port]}, lower case; empty allows any. */
    private final Set<String> origins = new CopyOnWriteArraySet<>();

    CrossOrigin(List<String> allowed) {
        for (String o : allowed) {
            origins.add(origin(o));
        }
    }

    /**
     * {@code https://shop.example} from {@code https://Shop.example/}; an {@link IllegalArgumentException} for
     * anything that is not an http(s) origin.
     */
    static String origin(String url) {
        try {
            URI u = new URI(url.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/");
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || !bare
                    || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                throw new IllegalArgumentException("not an origin (https://host[:port]): " + url);
            }
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an origin (https://host[:port]): " + url, e);
        }
    }

    /** Allows one more origin, e.g. the embedding application's, once it knows its own address. */
    void allow(String url) {
        origins.add(origin(url));
    }

    List<String> origins() {
        return List.copyOf(origins);
    }

    private boolean allows(String origin) {
        if (origins.isEmpty()) {
            return true;
        }
        try {
            return origins.contains(origin(origin));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** What Stripe.js calls from a merchant's page: the only requests another origin may make. */
    static boolean stripeJsRequest(String method, String path) {
        return path.startsWith("/v1/payment_intents/") && Api.publishableAllowed(method, path);
    }

    /**
     * CORS headers for an API answer: some only when it is Stripe.js's request, with a publishable key, from an
     * allowed origin.
     */
    Map<String, String> answer(String method, String path, String origin, String authorization) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (origin == null || !stripeJsRequest(method, path)) {
            return headers;
        }
        headers.put("Vary", "Origin");
        String key = Api.presentedKey(authorization);
        if (key != null && key.startsWith("pk_") && allows(origin)) {
            headers.put("Access-Control-Allow-Origin", origin);
            headers.put("Access-Control-Expose-Headers", EXPOSED);
        }
        return headers;
    }

    /** The answer to a browser's preflight: permission only for Stripe.js's requests from allowed origins. */
    Api.Resp preflight(String path, String origin, String requestedMethod) {
        String method = requestedMethod == null ? "" : requestedMethod.trim().toUpperCase(Locale.ROOT);
        if (!stripeJsRequest(method, path)) {
            return Api.Resp.json(404, new StripeError(404, "invalid_request_error", null, null,
                    "Unrecognized request URL (OPTIONS: " + path + "). Browsers may only call what Stripe.js "
                            + "calls with a publishable key.", null).body());
        }
        if (origin == null || !allows(origin)) {
            Api.Resp r = Api.Resp.json(403, StripeError.invalid("Cross-origin requests from " + origin
                    + " are not allowed: start the emulator with this origin among its CORS origins.", null).body());
            r.headers.put("Vary", "Origin");
            return r;
        }
        Api.Resp r = new Api.Resp(204, new byte[0]);
        r.headers.put("Access-Control-Allow-Origin", origin);
        r.headers.put("Access-Control-Allow-Methods", method);
        r.headers.put("Access-Control-Allow-Headers", "Authorization, Content-Type, Stripe-Version, Idempotency-Key");
        r.headers.put("Access-Control-Max-Age", "600");
        r.headers.put("Vary", "Origin");
        return r;
    }
}
