package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import com.stripe.param.EventListParams;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Delayed-notification payments (SEPA Direct Debit test IBANs): processing, then settled or failed. */
class AsyncPaymentTest extends EmulatorTestBase {

    static PaymentIntent debit(String iban) throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(2500L)
                .setCurrency("eur").addPaymentMethodType("sepa_debit").build());
        return stripe.v1().paymentIntents().confirm(pi.getId(), PaymentIntentConfirmParams.builder()
                .putExtraParam("payment_method_data[type]", "sepa_debit")
                .putExtraParam("payment_method_data[sepa_debit][iban]", iban)
                .putExtraParam("payment_method_data[billing_details][name]", "Jenny Rosen")
                .putExtraParam("payment_method_data[billing_details][email]", "jenny@example.com").build());
    }

    static String status(String piId) {
        try {
            return stripe.v1().paymentIntents().retrieve(piId).getStatus();
        } catch (Exception e) {
            return "";
        }
    }

    static List<String> types(String id) {
        return emulator.eventsJson().stream().filter(e -> e.contains(id))
                .map(e -> Json.read(e).path("type").asText()).collect(Collectors.toList());
    }

    @Test
    void sepaDebitProcessesThenSucceeds() throws Exception {
        PaymentIntent pi = debit("DE89370400440532013000");
        assertThat(pi.getStatus()).isEqualTo("processing");
        await("succeeded", () -> status(pi.getId()).equals("succeeded"));
        Event pending = stripe.v1().events().list(EventListParams.builder().setType("charge.pending").build())
                .getData().stream().filter(e -> e.getDataObjectDeserializer().getRawJson().contains(pi.getId()))
                .findFirst().orElseThrow();
        assertThat(((com.stripe.model.Charge) pending.getDataObjectDeserializer().getObject().orElseThrow())
                .getStatus()).isEqualTo("pending");
        assertThat(types(pi.getId())).contains("payment_intent.processing", "charge.pending", "charge.succeeded",
                "payment_intent.succeeded");
    }

    @Test
    void sepaDebitProcessesThenFails() throws Exception {
        PaymentIntent pi = debit("DE62370400440532013001");
        await("failed", () -> status(pi.getId()).equals("requires_payment_method"));
        PaymentIntent after = stripe.v1().paymentIntents().retrieve(pi.getId());
        assertThat(after.getLastPaymentError().getCode()).isEqualTo("payment_intent_payment_attempt_failed");
        assertThat(types(pi.getId())).contains("charge.failed", "payment_intent.payment_failed");
    }

    @Test
    void invalidIbanAndWrongType() throws Exception {
        assertThatThrownBy(() -> debit("DE00370400440532013000"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode())
                        .isEqualTo("invalid_bank_account_iban"));
        PaymentIntent cardOnly = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(1000L).setCurrency("eur").addPaymentMethodType("card").build());
        assertThatThrownBy(() -> stripe.v1().paymentIntents().confirm(cardOnly.getId(), PaymentIntentConfirmParams
                .builder().putExtraParam("payment_method_data[type]", "sepa_debit")
                .putExtraParam("payment_method_data[sepa_debit][iban]", "DE89370400440532013000")
                .putExtraParam("payment_method_data[billing_details][name]", "J")
                .putExtraParam("payment_method_data[billing_details][email]", "j@example.com").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not allowed");
    }

    static Session sepaSession() throws Exception {
        return stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .addPaymentMethodType(SessionCreateParams.PaymentMethodType.CARD)
                .addPaymentMethodType(SessionCreateParams.PaymentMethodType.SEPA_DEBIT)
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("eur")
                                .setUnitAmount(1800L).setProductData(SessionCreateParams.LineItem.PriceData
                                        .ProductData.builder().setName("Faust").build()).build()).build())
                .setSuccessUrl("https://shop.example/ok?session_id={CHECKOUT_SESSION_ID}").build());
    }

    @Test
    void checkoutAsyncPaymentSucceeded() throws Exception {
        Session s = sepaSession();
        assertThat(get(s.getUrl()).body()).contains("IBAN").contains("Pay with SEPA Direct Debit");
        var r = post(s.getUrl(), "method=sepa_debit&email=j%40example.com&name=Jenny+Rosen"
                + "&iban=DE89370400440532013000");
        assertThat(r.statusCode()).isEqualTo(303);
        Session completed = stripe.v1().checkout().sessions().retrieve(s.getId());
        assertThat(completed.getStatus()).isEqualTo("complete");
        await("paid", () -> {
            try {
                return stripe.v1().checkout().sessions().retrieve(s.getId()).getPaymentStatus().equals("paid");
            } catch (Exception e) {
                return false;
            }
        });
        List<Event> events = stripe.v1().events().list(EventListParams.builder()
                .setType("checkout.session.async_payment_succeeded").build()).getData();
        assertThat(events).anySatisfy(e -> assertThat(((Session) e.getDataObjectDeserializer().getObject()
                .orElseThrow()).getId()).isEqualTo(s.getId()));
        assertThat(types(s.getId())).containsSubsequence("checkout.session.async_payment_succeeded",
                "checkout.session.completed");
    }

    @Test
    void checkoutAsyncPaymentFailed() throws Exception {
        Session s = sepaSession();
        post(s.getUrl(), "method=sepa_debit&email=j%40example.com&name=Jenny+Rosen&iban=DE62370400440532013001");
        await("async failure", () -> types(s.getId()).contains("checkout.session.async_payment_failed"));
        Event e = stripe.v1().events().list(EventListParams.builder()
                .setType("checkout.session.async_payment_failed").build()).getData().get(0);
        Session obj = (Session) e.getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(obj.getPaymentStatus()).isEqualTo("unpaid");
        assertThat(obj.getStatus()).isEqualTo("complete");
        for (String type : List.of("charge.pending", "payment_intent.processing")) {
            Event x = stripe.v1().events().list(EventListParams.builder().setType(type).build()).getData().get(0);
            assertThat(x.getDataObjectDeserializer().getObject()).as(type).isPresent();
        }
    }
}
