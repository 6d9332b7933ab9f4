package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.InvalidRequestException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import org.junit.jupiter.api.Test;

/**
 * A payment's description and statement descriptor suffix, given to a PaymentIntent or through a Checkout Session's
 * {@code payment_intent_data}: kept, put on the charge ({@code BOOKSTORE* SUFFIX}), shown in the dashboard, and
 * refused as Stripe refuses them when the statement could not carry them.
 */
class StatementDescriptorTest extends EmulatorTestBase {

    @Test
    void aCheckoutSessionsPaymentIntentDataGiveThePaymentItsDescriptionAndSuffix() throws Exception {
        Session s = stripe.v1().checkout().sessions().create(CheckoutSessionTest.params()
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .setDescription("Bookstore order #42").setStatementDescriptorSuffix("ORDER 42").build())
                .build());
        CheckoutSessionTest.pay(s, "4242 4242 4242 4242");

        PaymentIntent pi = stripe.v1().checkout().sessions().retrieve(s.getId(), SessionRetrieveParams.builder()
                .addExpand("payment_intent.latest_charge").build()).getPaymentIntentObject();
        assertThat(pi.getDescription()).isEqualTo("Bookstore order #42");
        assertThat(pi.getStatementDescriptorSuffix()).isEqualTo("ORDER 42");
        assertThat(pi.getLatestChargeObject().getDescription()).isEqualTo("Bookstore order #42");
        assertThat(pi.getLatestChargeObject().getCalculatedStatementDescriptor()).isEqualTo("BOOKSTORE* ORDER 42");

        String dashboard = get("/dashboard").body();
        assertThat(dashboard).contains("Bookstore order #42", "BOOKSTORE* ORDER 42");
    }

    @Test
    void aPaymentIntentKeepsItsSuffixAndACardChargeCarriesIt() throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(2300L)
                .setCurrency("usd").setDescription("Bookstore order #7").setStatementDescriptorSuffix("ORDER 7")
                .setPaymentMethod("pm_card_visa").setConfirm(true).addPaymentMethodType("card").build());
        assertThat(pi.getStatus()).isEqualTo("succeeded");
        assertThat(pi.getStatementDescriptorSuffix()).isEqualTo("ORDER 7");
        assertThat(stripe.v1().charges().retrieve(pi.getLatestCharge()).getCalculatedStatementDescriptor())
                .isEqualTo("BOOKSTORE* ORDER 7");
    }

    @Test
    void aSuffixTheStatementCannotCarryIsRefusedAsStripeRefusesIt() throws Exception {
        for (String bad : new String[] {"ORDER 12345678", "ORDER <42>", "ORDER \"42\"", "ORDER*42", "ORDER '42'", "12345",
            "ORDER \\42"}) {
            assertThatThrownBy(() -> stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(2300L)
                    .setCurrency("usd").setStatementDescriptorSuffix(bad).build()))
                    .as(bad).isInstanceOf(InvalidRequestException.class)
                    .satisfies(e -> assertThat(((InvalidRequestException) e).getParam()).isEqualTo("statement_descriptor_suffix"));
        }
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(CheckoutSessionTest.params()
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder().setStatementDescriptorSuffix("ORDER 123456789")
                        .build()).build()))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).getParam())
                        .isEqualTo("payment_intent_data[statement_descriptor_suffix]"));

        PaymentIntent pi = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(2300L)
                .setCurrency("usd").build());
        assertThatThrownBy(() -> stripe.v1().paymentIntents().update(pi.getId(), PaymentIntentUpdateParams.builder()
                .setStatementDescriptorSuffix("NO <TAGS>").build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(stripe.v1().paymentIntents().update(pi.getId(), PaymentIntentUpdateParams.builder()
                .setStatementDescriptorSuffix("ORDER 99").build()).getStatementDescriptorSuffix()).isEqualTo("ORDER 99");
    }
}
