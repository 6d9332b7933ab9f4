package org.bookstore.emulator;

import com.stripe.StripeClient;
import com.stripe.param.PaymentIntentCreateParams;

final class RefundDisputeEventTestSupport {
    private RefundDisputeEventTestSupport() {}

    static String pay(StripeClient c) throws Exception {
        return c.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(1000L).setCurrency("usd")
                .setPaymentMethod("pm_card_visa").setConfirm(true).setReturnUrl("https://x.example").build()).getId();
    }
}
