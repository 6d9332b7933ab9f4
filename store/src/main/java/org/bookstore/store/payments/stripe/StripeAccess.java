package org.bookstore.store.payments.stripe;

import com.stripe.StripeClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bookstore.emulator.StripeEmulator;

/**
 * How this store reaches Stripe: the client (with timeouts and network retries), the keys, and whether it is the
 * local emulator, Stripe in test mode or Stripe live. The layout reads {@link #banner()} on every page.
 */
public class StripeAccess {

    public enum Mode { EMULATOR, TEST, LIVE }

    private final StripeClient client;
    private final Mode mode;
    private final String publishableKey;
    private final String checkoutOrigin;
    private final String stripeJsUrl;
    private final StripeEmulator emulator;
    private volatile String webhookSecret;

    StripeAccess(StripeClient client, Mode mode, String publishableKey, String webhookSecret, String checkoutOrigin,
            String stripeJsUrl, StripeEmulator emulator) {
        this.emulator = emulator;
        this.client = client;
        this.mode = mode;
        this.publishableKey = publishableKey;
        this.webhookSecret = webhookSecret;
        this.checkoutOrigin = checkoutOrigin;
        this.stripeJsUrl = stripeJsUrl;
    }

    /** The in-process emulator, when the store runs one (its dashboard, and fault injection in tests). */
    public Optional<StripeEmulator> emulator() {
        return Optional.ofNullable(emulator);
    }

    public Mode mode() {
        return mode;
    }

    public boolean emulated() {
        return mode == Mode.EMULATOR;
    }

    public StripeClient client() {
        return client;
    }

    public String webhookSecret() {
        return webhookSecret;
    }

    void webhookSecret(String secret) {
        this.webhookSecret = secret;
    }

    public String publishableKey() {
        return publishableKey;
    }

    /** Where hosted Checkout pages live: the buyer is redirected there, so the CSP's form-action allows it. */
    public String checkoutOrigin() {
        return checkoutOrigin;
    }

    /** The Stripe.js to load: Stripe's own with real keys, the emulator's stand-in otherwise. */
    public String stripeJsUrl() {
        return stripeJsUrl;
    }

    /**
     * What a page with the Payment Element must allow in its Content-Security-Policy: Stripe.js's origin for
     * scripts, its frames, and the API it calls; nothing else third-party.
     */
    public Map<String, List<String>> paymentElementSources() {
        if (mode == Mode.EMULATOR || !stripeJsUrl.startsWith("https://js.stripe.com/")) {
            String origin = StripeConfig.origin(stripeJsUrl);
            return Map.of("script-src", List.of(origin), "frame-src", List.of(origin), "connect-src", List.of(origin));
        }
        return Map.of(
                "script-src", List.of("https://js.stripe.com", "https://*.js.stripe.com"),
                "frame-src", List.of("https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"),
                "connect-src", List.of("https://api.stripe.com"));
    }

    /** The banner shown on every page outside live mode, so nobody mistakes a test shop for a real one. */
    public String banner() {
        return switch (mode) {
            case EMULATOR -> "Test mode: local Stripe emulator. Pay with card 4242 4242 4242 4242, any future expiry, any CVC.";
            case TEST -> "Test mode: Stripe test keys. No real money is charged.";
            case LIVE -> null;
        };
    }

    /** Where a person who runs the shop looks at a Stripe object: Stripe's Dashboard, or the emulator's. */
    public String dashboardUrl(String objectId) {
        String kind = objectId == null ? "" : objectId.startsWith("re_") ? "refunds" : objectId.startsWith("dp_") ? "disputes"
                : objectId.startsWith("cs_") ? "sessions" : objectId.startsWith("cus_") ? "customers" : "payments";
        if (emulator != null) {
            return emulator.baseUrl() + "/dashboard#" + kind;
        }
        String base = mode == Mode.LIVE ? "https://dashboard.stripe.com/" : "https://dashboard.stripe.com/test/";
        return base + switch (kind) {
            case "refunds" -> "refunds/";
            case "disputes" -> "disputes/";
            case "sessions" -> "checkout/sessions/";
            case "customers" -> "customers/";
            default -> "payments/";
        } + objectId;
    }
}
