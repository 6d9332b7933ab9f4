package org.bookstore.store.payments.stripe;

import com.stripe.StripeClient;
import java.net.URI;
import java.nio.file.Path;
import org.bookstore.emulator.StripeEmulator;
import org.bookstore.store.common.ContentSecurityPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the store to Stripe. With STRIPE_SECRET_KEY set it talks to Stripe (or to STRIPE_API_BASE); without it,
 * it starts the local Stripe emulator in-process and nothing else changes.
 */
@Configuration
@EnableConfigurationProperties(StripeSettings.class)
class StripeConfig {

    private static final Logger log = LoggerFactory.getLogger(StripeConfig.class);

    /** Only when there is no secret key: a local Stripe on this machine, answering only this install's keys. */
    @Bean(destroyMethod = "stop")
    EmbeddedStripe embeddedStripe(StripeSettings settings) {
        if (settings.hasSecretKey()) {
            return EmbeddedStripe.NONE;
        }
        StripeSettings.Emulator options = settings.emulator();
        EmulatorKeys keys = EmulatorKeys.forInstall(path(options.keyFile()));
        StripeEmulator.Builder builder = StripeEmulator.builder()
                .port(options.port())
                .controlApi(options.controlApi())
                .requireKeys(true)
                .timeScale(options.webhookTimeScale() == null ? 1.0 : options.webhookTimeScale())
                .secretKey(keys.secretKey())
                .publishableKey(keys.publishableKey());
        Path stateFile = path(options.stateFile());
        if (stateFile != null) {
            builder.stateFile(stateFile);
        }
        StripeEmulator emulator = builder.start();
        log.info("No STRIPE_SECRET_KEY: using the local Stripe emulator at {}", emulator.baseUrl());
        return new EmbeddedStripe(emulator);
    }

    @Bean("stripeAccess")
    StripeAccess stripeAccess(StripeSettings settings, EmbeddedStripe embedded, ContentSecurityPolicy policy) {
        StripeClient.StripeClientBuilder client = StripeClient.builder()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setReadTimeout((int) settings.readTimeout().toMillis())
                .setMaxNetworkRetries(settings.maxNetworkRetries());
        StripeAccess access;
        if (embedded.running()) {
            StripeEmulator emulator = embedded.emulator();
            client.setApiKey(emulator.secretKey()).setApiBase(emulator.baseUrl());
            access = new StripeAccess(client.build(), StripeAccess.Mode.EMULATOR, emulator.publishableKey(), null,
                    emulator.baseUrl(), emulator.baseUrl() + "/v3/", emulator);
        } else {
            client.setApiKey(settings.secretKey());
            boolean otherApi = settings.apiBase() != null && !settings.apiBase().isBlank();
            if (otherApi) {
                client.setApiBase(settings.apiBase());
            }
            StripeAccess.Mode mode = settings.secretKey().startsWith("sk_live_") ? StripeAccess.Mode.LIVE : StripeAccess.Mode.TEST;
            String checkoutOrigin = otherApi ? origin(settings.apiBase()) : "https://checkout.stripe.com";
            String stripeJs = otherApi ? origin(settings.apiBase()) + "/v3/" : "https://js.stripe.com/v3/";
            access = new StripeAccess(client.build(), mode, settings.publishableKey(), settings.webhookSecret(), checkoutOrigin,
                    stripeJs, null);
            if (settings.webhookSecret() == null || settings.webhookSecret().isBlank()) {
                log.warn("STRIPE_WEBHOOK_SECRET is not set: Stripe's webhooks will be refused until it is");
            }
        }
        policy.allow("form-action", access.checkoutOrigin());
        return access;
    }

    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static Path path(String setting) {
        return setting == null || setting.isBlank() ? null : Path.of(setting);
    }

    /** The emulator when the store runs one; {@link #NONE} when it talks to Stripe. */
    record EmbeddedStripe(StripeEmulator emulator) {
        static final EmbeddedStripe NONE = new EmbeddedStripe(null);

        boolean running() {
            return emulator != null;
        }

        void stop() {
            if (emulator != null) {
                emulator.stop();
            }
        }
    }
}
