package org.bookstore.store.checkout;

import org.bookstore.store.common.ContentSecurityPolicy;
import org.bookstore.store.payments.StripeAccess;
import org.springframework.boot.context.properties.ConfigurationProperties;

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

    @org.springframework.context.annotation.Configuration
    @org.springframework.boot.context.properties.EnableConfigurationProperties(CheckoutSettings.class)
    static class Config {
        /** The embedded page loads Stripe.js: exactly its origin, frames and API join the store's CSP. */
        Config(CheckoutSettings settings, StripeAccess stripe, ContentSecurityPolicy policy) {
            if (settings.embedded()) {
                stripe.paymentElementSources().forEach((directive, origins) -> origins.forEach(origin -> policy.allow(directive, origin)));
            }
        }
    }
}
