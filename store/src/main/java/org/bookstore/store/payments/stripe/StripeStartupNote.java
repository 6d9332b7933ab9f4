package org.bookstore.store.payments.stripe;

import java.util.Optional;
import org.bookstore.store.common.StartupNote;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Which Stripe the store talks to, for the startup summary: the local emulator or an account, never its key. */
@Component
@Order(1)
class StripeStartupNote implements StartupNote {

    private final StripeAccess stripe;

    StripeStartupNote(StripeAccess stripe) {
        this.stripe = stripe;
    }

    @Override
    public Optional<String> line() {
        return Optional.of(switch (stripe.mode()) {
            case EMULATOR -> "Stripe: the local Stripe emulator at " + stripe.checkoutOrigin()
                    + " (no account, no real money; its dashboard is at " + stripe.checkoutOrigin() + "/dashboard)";
            case TEST -> "Stripe: your Stripe account, with test keys (no real money)";
            case LIVE -> "Stripe: your Stripe account in LIVE mode: payments are real";
        });
    }
}
