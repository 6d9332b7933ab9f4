package org.bookstore.store.payments.web;

import org.bookstore.store.common.ContentSecurityPolicy;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * {@code bookstore.checkout.ui} (environment BOOKSTORE_CHECKOUT_UI): {@code hosted}, Stripe Checkout's hosted page
 * (the default), or {@code embedded}, the Payment Element on the store's own page.
 */
@ConfigurationProperties("bookstore.checkout")
record CheckoutSettings(Ui ui) {

    enum Ui { HOSTED, EMBEDDED }

    CheckoutSettings {
        ui = ui == null ? Ui.HOSTED : ui;
    }

    boolean embedded() {
        return ui == Ui.EMBEDDED;
    }

    @Configuration
    @EnableConfigurationProperties(CheckoutSettings.class)
    static class Config {
        /** The embedded page loads Stripe.js: exactly its origin, frames and API join the store's CSP. */
        Config(CheckoutSettings settings, StripeAccess stripe, ContentSecurityPolicy policy) {
            if (settings.embedded()) {
                stripe.paymentElementSources().forEach((directive, origins) -> origins.forEach(origin -> policy.allow(directive, origin)));
            }
        }
    }
}
