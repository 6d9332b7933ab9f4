package org.bookstore.store.payments.stripe;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code bookstore.stripe.*}: keys (from STRIPE_* environment variables or .env) and how to talk to Stripe. */
@ConfigurationProperties("bookstore.stripe")
public record StripeSettings(String secretKey, String publishableKey, String webhookSecret, String apiBase,
        Duration connectTimeout, Duration readTimeout, int maxNetworkRetries, Duration checkoutExpiresAfter,
        Emulator emulator) {

    /** The in-process emulator, used when no secret key is set. */
    public record Emulator(int port, String stateFile, String keyFile, boolean controlApi) {
    }

    boolean hasSecretKey() {
        return secretKey != null && !secretKey.isBlank();
    }
}
