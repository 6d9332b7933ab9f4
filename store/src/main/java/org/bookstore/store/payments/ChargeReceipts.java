package org.bookstore.store.payments;

import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import java.util.Optional;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.bookstore.store.payments.stripe.StripeFailures;
import org.springframework.stereotype.Component;

/** Stripe's own receipt for a charge: the {@code receipt_url} on the Charge, read from Stripe. */
@Component
public class ChargeReceipts {

    private final StripeAccess stripe;

    ChargeReceipts(StripeAccess stripe) {
        this.stripe = stripe;
    }

    /** The receipt's address, or empty if Stripe has none or cannot be asked right now. */
    public Optional<String> receiptUrl(String chargeId) {
        if (chargeId == null || chargeId.isBlank()) {
            return Optional.empty();
        }
        try {
            Charge charge = stripe.client().v1().charges().retrieve(chargeId);
            return Optional.ofNullable(charge.getReceiptUrl());
        } catch (StripeException e) {
            StripeFailures.log("read the receipt of charge " + chargeId, e);
            return Optional.empty();
        }
    }
}
