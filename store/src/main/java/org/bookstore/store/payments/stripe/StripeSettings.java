package org.bookstore.store.payments.stripe;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code bookstore.stripe.*}: keys (from STRIPE_* environment variables or .env) and how to talk to Stripe. */
@ConfigurationProperties("bookstore.stripe")
public record StripeSettings(String secretKey, String publishableKey, String webhookSecret, String apiBase,
        Duration connectTimeout, Duration readTimeout, int maxNetworkRetries, Duration checkoutExpiresAfter,
        Emulator emulator) {

    /**
     * The in-process emulator, used when no secret key is set. {@code webhookTimeScale} shortens its webhook retry
     * delays (1 min, 5 min, 25 min as Stripe's) for tests; 1 is Stripe's pace.
     */
    public record Emulator(int port, String stateFile, String keyFile, boolean controlApi, Double webhookTimeScale) {
    }

    boolean hasSecretKey() {
        return secretKey != null && !secretKey.isBlank();
    }
}
