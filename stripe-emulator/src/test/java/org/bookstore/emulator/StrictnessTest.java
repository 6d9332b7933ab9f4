package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Customer;
import com.stripe.model.PaymentIntent;
import com.stripe.param.ChargeSearchParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerSearchParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Stripe's strictness: what the emulator does not implement is refused, never silently ignored. */
class StrictnessTest extends EmulatorTestBase {

    static void refused(ThrowingCallable call, String code, String param) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            if (!code.equals("resource_missing")) {
                // an id that names nothing may be a 404 in the emulator, where Stripe can answer 400
                assertThat(e.getStatusCode()).isEqualTo(400);
            }
            assertThat(e.getCode()).isEqualTo(code);
            assertThat(e.getParam()).isEqualTo(param);
        });
    }

    static PaymentIntentCreateParams.Builder intent() {
        return PaymentIntentCreateParams.builder().setAmount(1000L).setCurrency("usd");
    }

    @Test
    void parametersNotImplementedAreUnknown() {
        refused(() -> stripe.v1().paymentIntents().create(intent().setPaymentMethodOptions(
                PaymentIntentCreateParams.PaymentMethodOptions.builder().setCard(PaymentIntentCreateParams
                        .PaymentMethodOptions.Card.builder().setRequestThreeDSecure(PaymentIntentCreateParams
                                .PaymentMethodOptions.Card.RequestThreeDSecure.ANY).build()).build()).build()),
                "parameter_unknown", "payment_method_options");
        refused(() -> stripe.v1().paymentIntents().create(intent().setApplicationFeeAmount(100L).build()),
                "parameter_unknown", "application_fee_amount");
        refused(() -> stripe.v1().checkout().sessions().create(CheckoutSessionTest.params()
                .addCustomField(SessionCreateParams.CustomField.builder().setKey("gift").setType(
                        SessionCreateParams.CustomField.Type.TEXT).setLabel(SessionCreateParams.CustomField.Label
                                .builder().setCustom("Gift note").setType(SessionCreateParams.CustomField.Label.Type
                                        .CUSTOM).build()).build()).build()),
                "parameter_unknown", "custom_fields");
        refused(() -> stripe.v1().customers().create(CustomerCreateParams.builder().putExtraParam("colour", "red")
                .build()), "parameter_unknown", "colour");
        refused(() -> stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent("pi_x")
                .setInstructionsEmail("a@example.com").build()), "parameter_unknown", "instructions_email");
        refused(() -> stripe.v1().checkout().sessions().create(CheckoutSessionTest.params()
                .setBillingAddressCollection(SessionCreateParams.BillingAddressCollection.REQUIRED).build()),
                "parameter_unknown", "billing_address_collection");
    }

    @Test
    void currenciesMustBeStripes() throws Exception {
        assertThatThrownBy(() -> stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(1000L).setCurrency("xyz").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getParam()).isEqualTo("currency");
                    assertThat(e.getStripeError().getMessage()).startsWith("Invalid currency: xyz. Stripe currently "
                            + "supports these currencies: usd, aed, ");
                });
        // a real currency outside the old short list is fine
        PaymentIntent pi = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(5000L).setCurrency("isk").build());
        assertThat(pi.getCurrency()).isEqualTo("isk");
    }

    @Test
    void integersEnumsAndIdsGetStripesErrors() throws Exception {
        JsonNode err = raw("POST", "/v1/payment_intents", "amount=abc&currency=usd");
        assertThat(err.path("code").asText()).isEqualTo("parameter_invalid_integer");
        assertThat(err.path("message").asText()).isEqualTo("Invalid integer: abc");
        assertThat(err.path("param").asText()).isEqualTo("amount");

        JsonNode en = raw("POST", "/v1/payment_intents", "amount=1000&currency=usd&capture_method=later");
        assertThat(en.path("message").asText())
                .isEqualTo("Invalid capture_method: must be one of automatic, automatic_async, or manual");
        assertThat(en.path("param").asText()).isEqualTo("capture_method");

        refused(() -> stripe.v1().paymentIntents().create(intent().setCustomer("cus_missing").build()),
                "resource_missing", "customer");
        refused(() -> stripe.v1().charges().create(com.stripe.param.ChargeCreateParams.builder().setAmount(1000L)
                .setCurrency("usd").setSource("card_missing").build()), "resource_missing", "source");
    }

    static JsonNode raw(String method, String path, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Authorization", "Bearer sk_test_strict")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(form));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        return Json.read(r.body()).path("error");
    }

    @Test
    void searchOnAnUnsupportedFieldIs400() {
        assertThatThrownBy(() -> stripe.v1().customers().search(CustomerSearchParams.builder()
                .setQuery("colour:'red'").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getParam()).isEqualTo("query");
                    assertThat(e.getStripeError().getMessage()).contains("`colour` is an unsupported search field");
                });
        assertThatThrownBy(() -> stripe.v1().charges().search(ChargeSearchParams.builder()
                .setQuery("email:'a@example.com'").build())).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void onlyAnAttachedExistingPaymentMethodBecomesTheDefault() throws Exception {
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("d@example.com").build());
        refused(() -> stripe.v1().customers().update(c.getId(), CustomerUpdateParams.builder()
                .setInvoiceSettings(CustomerUpdateParams.InvoiceSettings.builder()
                        .setDefaultPaymentMethod("pm_does_not_exist").build()).build()),
                "resource_missing", "invoice_settings[default_payment_method]");
        assertThat(stripe.v1().customers().retrieve(c.getId()).getInvoiceSettings().getDefaultPaymentMethod())
                .isNull();
        // not attached to this customer
        String loose = stripe.v1().paymentMethods().retrieve("pm_card_visa").getId();
        refused(() -> stripe.v1().customers().update(c.getId(), CustomerUpdateParams.builder()
                .setInvoiceSettings(CustomerUpdateParams.InvoiceSettings.builder()
                        .setDefaultPaymentMethod(loose).build()).build()),
                "resource_missing", "invoice_settings[default_payment_method]");
        stripe.v1().paymentMethods().attach(loose, com.stripe.param.PaymentMethodAttachParams.builder()
                .setCustomer(c.getId()).build());
        Customer ok = stripe.v1().customers().update(c.getId(), CustomerUpdateParams.builder()
                .setInvoiceSettings(CustomerUpdateParams.InvoiceSettings.builder()
                        .setDefaultPaymentMethod(loose).build()).build());
        assertThat(ok.getInvoiceSettings().getDefaultPaymentMethod()).isEqualTo(loose);
    }
}
