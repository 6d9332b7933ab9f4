package org.bookstore.store.payments.stripe;

import com.stripe.Stripe;
import com.stripe.exception.StripeException;
import com.stripe.model.WebhookEndpoint;
import com.stripe.param.WebhookEndpointCreateParams;
import com.stripe.param.WebhookEndpointListParams;
import org.bookstore.store.common.PublicUrl;
import org.bookstore.store.payments.webhooks.StripeWebhookEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * With the local emulator, once the store's port is known: the store registers its own webhook endpoint, exactly as
 * one would with Stripe's API, and keeps the signing secret Stripe returns (endpoints left by an earlier run at the
 * same address are replaced); and only the store's own pages may use the emulator's Stripe.js from a browser.
 */
@Component
class EmbeddedWebhookEndpoint implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedWebhookEndpoint.class);

    private final StripeAccess stripe;
    private final PublicUrl publicUrl;

    EmbeddedWebhookEndpoint(StripeAccess stripe, PublicUrl publicUrl) {
        this.stripe = stripe;
        this.publicUrl = publicUrl;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (!stripe.emulated() || event.getApplicationContext().getServerNamespace() != null) {
            return;
        }
        stripe.emulator().ifPresent(emulator -> emulator.allowCorsOrigin(
                StripeConfig.origin(publicUrl.forPort(event.getWebServer().getPort()))));
        String url = "http://localhost:" + event.getWebServer().getPort() + StripeWebhookEndpoint.PATH;
        try {
            for (WebhookEndpoint old : stripe.client().v1().webhookEndpoints()
                    .list(WebhookEndpointListParams.builder().setLimit(100L).build()).autoPagingIterable()) {
                if (url.equals(old.getUrl())) {
                    stripe.client().v1().webhookEndpoints().delete(old.getId());
                }
            }
            WebhookEndpoint endpoint = stripe.client().v1().webhookEndpoints().create(WebhookEndpointCreateParams.builder()
                    .setUrl(url)
                    .addEnabledEvent(WebhookEndpointCreateParams.EnabledEvent.ALL)
                    // Events in the SDK's own API version, so stripe-java can deserialize their objects.
                    .putExtraParam("api_version", Stripe.API_VERSION)
                    .build());
            stripe.webhookSecret(endpoint.getSecret());
            log.info("Registered webhook endpoint {} with the local Stripe emulator", url);
        } catch (StripeException e) {
            throw new IllegalStateException("Could not register the webhook endpoint with the local Stripe emulator", e);
        }
    }
}
