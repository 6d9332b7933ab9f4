package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Charge;
import com.stripe.model.Customer;
import com.stripe.model.PaymentIntent;
import com.stripe.model.PaymentMethod;
import com.stripe.model.StripeCollection;
import com.stripe.param.ChargeListParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentCaptureParams;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentListParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import com.stripe.param.PaymentIntentUpdateParams;
import com.stripe.param.PaymentMethodAttachParams;
import com.stripe.param.PaymentMethodCreateParams;
import com.stripe.param.PaymentMethodListParams;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PaymentIntentTest extends EmulatorTestBase {

    static PaymentIntent create(long amount, String currency) throws Exception {
        return stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(amount)
                .setCurrency(currency).setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods
                        .builder().setEnabled(true).build()).putMetadata("order_id", "o-1").build());
    }

    static PaymentIntent confirmWith(String piId, String pm) throws Exception {
        return stripe.v1().paymentIntents().confirm(piId, PaymentIntentConfirmParams.builder().setPaymentMethod(pm)
                .setReturnUrl("https://shop.example/return").build());
    }

    @Test
    void createConfirmSucceeds() throws Exception {
        PaymentIntent pi = create(1999, "usd");
        assertThat(pi.getId()).startsWith("pi_");
        assertThat(pi.getClientSecret()).startsWith(pi.getId() + "_secret_");
        assertThat(pi.getStatus()).isEqualTo("requires_payment_method");
        assertThat(pi.getLatestCharge()).isNull();
        assertThat(pi.getMetadata()).containsEntry("order_id", "o-1");
        assertThat(pi.getAutomaticPaymentMethods().getEnabled()).isTrue();

        PaymentIntent done = confirmWith(pi.getId(), "pm_card_visa");
        assertThat(done.getStatus()).isEqualTo("succeeded");
        assertThat(done.getAmountReceived()).isEqualTo(1999L);
        assertThat(done.getLatestCharge()).startsWith("ch_");
        assertThat(done.getPaymentMethod()).startsWith("pm_").isNotEqualTo("pm_card_visa");

        Charge ch = stripe.v1().charges().retrieve(done.getLatestCharge());
        assertThat(ch.getPaymentIntent()).isEqualTo(pi.getId());
        assertThat(ch.getStatus()).isEqualTo("succeeded");
        assertThat(ch.getPaid()).isTrue();
        assertThat(ch.getCaptured()).isTrue();
        assertThat(ch.getBalanceTransaction()).startsWith("txn_");
        assertThat(ch.getPaymentMethodDetails().getCard().getLast4()).isEqualTo("4242");
        assertThat(ch.getPaymentMethodDetails().getCard().getBrand()).isEqualTo("visa");
        assertThat(ch.getMetadata()).containsEntry("order_id", "o-1");

        PaymentIntent expanded = stripe.v1().paymentIntents().retrieve(pi.getId(), PaymentIntentRetrieveParams
                .builder().addExpand("latest_charge").addExpand("payment_method").build());
        assertThat(expanded.getLatestChargeObject().getId()).isEqualTo(ch.getId());
        assertThat(expanded.getPaymentMethodObject().getCard().getLast4()).isEqualTo("4242");

        HttpResponse<String> receipt = get(ch.getReceiptUrl());
        assertThat(receipt.statusCode()).isEqualTo(200);
        assertThat(receipt.body()).contains("$19.99").contains("4242");

        StripeCollection<Charge> charges = stripe.v1().charges().list(ChargeListParams.builder()
                .setPaymentIntent(pi.getId()).build());
        assertThat(charges.getData()).extracting(Charge::getId).containsExactly(ch.getId());
    }

    @Test
    void createWithConfirmTrue() throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(500L)
                .setCurrency("eur").setPaymentMethod("pm_card_mastercard").setConfirm(true)
                .setReturnUrl("https://shop.example/r").build());
        assertThat(pi.getStatus()).isEqualTo("succeeded");
    }

    @ParameterizedTest
    @CsvSource({
        "pm_card_visa_chargeDeclined, card_declined, generic_decline, Your card was declined.",
        "pm_card_visa_chargeDeclinedInsufficientFunds, card_declined, insufficient_funds, Your card has insufficient funds.",
        "pm_card_visa_chargeDeclinedLostCard, card_declined, lost_card, Your card was declined.",
        "pm_card_visa_chargeDeclinedStolenCard, card_declined, stolen_card, Your card was declined.",
        "pm_card_chargeDeclinedExpiredCard, expired_card, expired_card, Your card has expired.",
        "pm_card_chargeDeclinedIncorrectCvc, incorrect_cvc, incorrect_cvc, Your card's security code is incorrect.",
        "pm_card_chargeDeclinedProcessingError, processing_error, processing_error, "
                + "An error occurred while processing your card. Try again in a little bit."
    })
    void declines(String pm, String code, String declineCode, String message) throws Exception {
        PaymentIntent pi = create(2000, "usd");
        assertThatThrownBy(() -> confirmWith(pi.getId(), pm)).isInstanceOfSatisfying(CardException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(402);
            assertThat(e.getCode()).isEqualTo(code);
            assertThat(e.getDeclineCode()).isEqualTo(declineCode);
            assertThat(e.getStripeError().getMessage()).isEqualTo(message);
            assertThat(e.getCharge()).startsWith("ch_");
            assertThat(e.getStripeError().getPaymentIntent().getId()).isEqualTo(pi.getId());
            assertThat(e.getStripeError().getPaymentIntent().getStatus()).isEqualTo("requires_payment_method");
        });
        PaymentIntent after = stripe.v1().paymentIntents().retrieve(pi.getId());
        assertThat(after.getStatus()).isEqualTo("requires_payment_method");
        assertThat(after.getLastPaymentError().getDeclineCode()).isEqualTo(declineCode);
        assertThat(after.getLastPaymentError().getCode()).isEqualTo(code);
        Charge failed = stripe.v1().charges().retrieve(after.getLatestCharge());
        assertThat(failed.getStatus()).isEqualTo("failed");
        assertThat(failed.getFailureCode()).isEqualTo(code);
        assertThat(failed.getOutcome().getReason()).isEqualTo(declineCode);

        // the buyer retries on the same PaymentIntent
        PaymentIntent ok = confirmWith(pi.getId(), "pm_card_visa");
        assertThat(ok.getStatus()).isEqualTo("succeeded");
        assertThat(ok.getLastPaymentError()).isNull();
    }

    @Test
    void rawCardNumbersWithBrandLast4Fingerprint() throws Exception {
        PaymentMethod pm = stripe.v1().paymentMethods().create(PaymentMethodCreateParams.builder()
                .setType(PaymentMethodCreateParams.Type.CARD)
                .putExtraParam("card[number]", "4000 0000 0000 9995").putExtraParam("card[exp_month]", "12")
                .putExtraParam("card[exp_year]", "2034").putExtraParam("card[cvc]", "123").build());
        assertThat(pm.getCard().getLast4()).isEqualTo("9995");
        assertThat(pm.getCard().getBrand()).isEqualTo("visa");
        assertThat(pm.getCard().getFingerprint()).hasSize(16);
        assertThat(pm.getCard().getExpYear()).isEqualTo(2034L);
        PaymentMethod same = stripe.v1().paymentMethods().create(PaymentMethodCreateParams.builder()
                .setType(PaymentMethodCreateParams.Type.CARD)
                .putExtraParam("card[number]", "4000000000009995").putExtraParam("card[exp_month]", "1")
                .putExtraParam("card[exp_year]", "2035").build());
        assertThat(same.getCard().getFingerprint()).isEqualTo(pm.getCard().getFingerprint());

        PaymentIntent pi = create(2000, "usd");
        assertThatThrownBy(() -> confirmWith(pi.getId(), pm.getId()))
                .isInstanceOfSatisfying(CardException.class, e -> assertThat(e.getDeclineCode())
                        .isEqualTo("insufficient_funds"));
    }

    @Test
    void badNumberAndPastExpiry() {
        assertThatThrownBy(() -> stripe.v1().paymentMethods().create(PaymentMethodCreateParams.builder()
                .setType(PaymentMethodCreateParams.Type.CARD)
                .putExtraParam("card[number]", "4242424242424241").putExtraParam("card[exp_month]", "12")
                .putExtraParam("card[exp_year]", "2034").build()))
                .isInstanceOfSatisfying(CardException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("incorrect_number");
                    assertThat(e.getParam()).isEqualTo("number");
                });
        assertThatThrownBy(() -> stripe.v1().paymentMethods().create(PaymentMethodCreateParams.builder()
                .setType(PaymentMethodCreateParams.Type.CARD)
                .putExtraParam("card[number]", "4242424242424242").putExtraParam("card[exp_month]", "1")
                .putExtraParam("card[exp_year]", "2020").build()))
                .isInstanceOfSatisfying(CardException.class, e -> assertThat(e.getCode()).isEqualTo("expired_card"));
    }

    @Test
    void threeDSecureRequiresAction() throws Exception {
        for (String number : new String[] {"4000002500003155", "4000000000003220"}) {
            PaymentIntent pi = create(3000, "usd");
            PaymentIntent confirmed = stripe.v1().paymentIntents().confirm(pi.getId(), PaymentIntentConfirmParams
                    .builder().setReturnUrl("https://shop.example/return?order=7")
                    .putExtraParam("payment_method_data[type]", "card")
                    .putExtraParam("payment_method_data[card][number]", number)
                    .putExtraParam("payment_method_data[card][exp_month]", "12")
                    .putExtraParam("payment_method_data[card][exp_year]", "2031")
                    .putExtraParam("payment_method_data[card][cvc]", "123").build());
            assertThat(confirmed.getStatus()).isEqualTo("requires_action");
            assertThat(confirmed.getNextAction().getType()).isEqualTo("redirect_to_url");
            String url = confirmed.getNextAction().getRedirectToUrl().getUrl();
            assertThat(url).startsWith(emulator.baseUrl() + "/3ds/" + pi.getId());
            assertThat(confirmed.getNextAction().getRedirectToUrl().getReturnUrl())
                    .isEqualTo("https://shop.example/return?order=7");

            HttpResponse<String> page = get(url);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains(">Complete<").contains(">Fail<");
            HttpResponse<String> done = post("/3ds/" + pi.getId() + "/complete",
                    "client_secret=" + pi.getClientSecret());
            assertThat(done.statusCode()).isEqualTo(303);
            assertThat(done.headers().firstValue("Location").orElseThrow())
                    .isEqualTo("https://shop.example/return?order=7&payment_intent=" + pi.getId()
                            + "&payment_intent_client_secret=" + pi.getClientSecret() + "&redirect_status=succeeded");
            PaymentIntent after = stripe.v1().paymentIntents().retrieve(pi.getId());
            assertThat(after.getStatus()).isEqualTo("succeeded");
            assertThat(stripe.v1().charges().retrieve(after.getLatestCharge()).getPaymentMethodDetails().getCard()
                    .getThreeDSecure().getResult()).isEqualTo("authenticated");
        }
    }

    @Test
    void useStripeSdkGetsStripesSdkAction() throws Exception {
        PaymentIntent pi = create(3000, "usd");
        PaymentIntent confirmed = stripe.v1().paymentIntents().confirm(pi.getId(), PaymentIntentConfirmParams
                .builder().setPaymentMethod("pm_card_threeDSecure2Required").setUseStripeSdk(true)
                .setReturnUrl("https://shop.example/return").build());
        assertThat(confirmed.getStatus()).isEqualTo("requires_action");
        assertThat(confirmed.getNextAction().getType()).isEqualTo("use_stripe_sdk");
        assertThat(confirmed.getNextAction().getRedirectToUrl()).isNull();
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> sdk = (java.util.Map<String, Object>) confirmed.getNextAction().getUseStripeSdk();
        assertThat(sdk).containsEntry("type", "three_d_secure_redirect");
        assertThat((String) sdk.get("stripe_js")).startsWith(emulator.baseUrl() + "/3ds/" + pi.getId());
        assertThat(get((String) sdk.get("stripe_js")).body()).contains(">Complete<");
        post("/3ds/" + pi.getId() + "/complete", "client_secret=" + pi.getClientSecret());
        assertThat(stripe.v1().paymentIntents().retrieve(pi.getId()).getStatus()).isEqualTo("succeeded");
    }

    @Test
    void offSessionCannotAskForAuthentication() throws Exception {
        CardException e = (CardException) org.assertj.core.api.Assertions.catchThrowable(() -> stripe.v1()
                .paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(3000L).setCurrency("usd")
                        .addPaymentMethodType("card").setPaymentMethod("pm_card_authenticationRequired")
                        .setConfirm(true).setOffSession(true).build()));
        assertThat(e.getDeclineCode()).isEqualTo("authentication_required");
        assertThat(e.getStripeError().getPaymentIntent().getStatus()).isEqualTo("requires_payment_method");
    }

    @Test
    void threeDSecureFailure() throws Exception {
        PaymentIntent pi = create(3000, "usd");
        confirmWith(pi.getId(), "pm_card_threeDSecure2Required");
        HttpResponse<String> done = post("/3ds/" + pi.getId() + "/fail", "client_secret=" + pi.getClientSecret());
        assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("&redirect_status=failed");
        PaymentIntent after = stripe.v1().paymentIntents().retrieve(pi.getId());
        assertThat(after.getStatus()).isEqualTo("requires_payment_method");
        assertThat(after.getLastPaymentError().getCode()).isEqualTo("payment_intent_authentication_failure");
    }

    @Test
    void publishableKeyWithClientSecret() throws Exception {
        PaymentIntent pi = create(1500, "usd");
        StripeClient browser = client("pk_test_abc");
        PaymentIntent seen = browser.v1().paymentIntents().retrieve(pi.getId(), PaymentIntentRetrieveParams.builder()
                .setClientSecret(pi.getClientSecret()).build());
        assertThat(seen.getAmount()).isEqualTo(1500L);
        assertThatThrownBy(() -> browser.v1().paymentIntents().retrieve(pi.getId(), PaymentIntentRetrieveParams
                .builder().setClientSecret("wrong").build())).isInstanceOf(InvalidRequestException.class);
        PaymentMethod pm = browser.v1().paymentMethods().create(PaymentMethodCreateParams.builder()
                .setType(PaymentMethodCreateParams.Type.CARD).putExtraParam("card[number]", "4242424242424242")
                .putExtraParam("card[exp_month]", "12").putExtraParam("card[exp_year]", "2030").build());
        PaymentIntent paid = browser.v1().paymentIntents().confirm(pi.getId(), PaymentIntentConfirmParams.builder()
                .setPaymentMethod(pm.getId()).putExtraParam("client_secret", pi.getClientSecret()).build());
        assertThat(paid.getStatus()).isEqualTo("succeeded");
    }

    @Test
    void manualCaptureAndCancel() throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(5000L)
                .setCurrency("usd").setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL)
                .setPaymentMethod("pm_card_visa").setConfirm(true).setReturnUrl("https://x.example").build());
        assertThat(pi.getStatus()).isEqualTo("requires_capture");
        assertThat(pi.getAmountCapturable()).isEqualTo(5000L);
        PaymentIntent captured = stripe.v1().paymentIntents().capture(pi.getId(), PaymentIntentCaptureParams.builder()
                .setAmountToCapture(4000L).build());
        assertThat(captured.getStatus()).isEqualTo("succeeded");
        assertThat(captured.getAmountReceived()).isEqualTo(4000L);
        Charge ch = stripe.v1().charges().retrieve(captured.getLatestCharge());
        assertThat(ch.getCaptured()).isTrue();
        assertThat(ch.getAmountCaptured()).isEqualTo(4000L);

        PaymentIntent other = create(700, "usd");
        PaymentIntent canceled = stripe.v1().paymentIntents().cancel(other.getId(), PaymentIntentCancelParams
                .builder().setCancellationReason(PaymentIntentCancelParams.CancellationReason.REQUESTED_BY_CUSTOMER)
                .build());
        assertThat(canceled.getStatus()).isEqualTo("canceled");
        assertThat(canceled.getCancellationReason()).isEqualTo("requested_by_customer");
        assertThatThrownBy(() -> stripe.v1().paymentIntents().cancel(pi.getId()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode())
                        .isEqualTo("payment_intent_unexpected_state"));
    }

    @Test
    void updateAndList() throws Exception {
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().build());
        PaymentIntent pi = create(1000, "usd");
        PaymentIntent upd = stripe.v1().paymentIntents().update(pi.getId(), PaymentIntentUpdateParams.builder()
                .setAmount(1200L).setCustomer(c.getId()).putMetadata("x", "y").build());
        assertThat(upd.getAmount()).isEqualTo(1200L);
        assertThat(upd.getMetadata()).containsEntry("order_id", "o-1").containsEntry("x", "y");
        StripeCollection<PaymentIntent> l = stripe.v1().paymentIntents().list(PaymentIntentListParams.builder()
                .setCustomer(c.getId()).addExpand("data.customer").build());
        assertThat(l.getData()).hasSize(1);
        assertThat(l.getData().get(0).getCustomerObject().getId()).isEqualTo(c.getId());
    }

    @Test
    void amountRules() throws Exception {
        assertThatThrownBy(() -> create(49, "usd")).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.getCode()).isEqualTo("amount_too_small");
            assertThat(e.getParam()).isEqualTo("amount");
            assertThat(e.getStripeError().getMessage()).isEqualTo("Amount must be at least $0.50 usd");
        });
        assertThat(create(30, "gbp").getAmount()).isEqualTo(30L);
        assertThat(create(500, "jpy").getAmount()).isEqualTo(500L);
        assertThatThrownBy(() -> create(49, "jpy")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setCurrency("usd").build())).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("parameter_missing");
                    assertThat(e.getParam()).isEqualTo("amount");
                });
    }

    @Test
    void attachDetachList() throws Exception {
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().build());
        PaymentMethod pm = stripe.v1().paymentMethods().attach("pm_card_visa", PaymentMethodAttachParams.builder()
                .setCustomer(c.getId()).build());
        assertThat(pm.getCustomer()).isEqualTo(c.getId());
        assertThat(stripe.v1().paymentMethods().list(PaymentMethodListParams.builder().setCustomer(c.getId())
                .setType(PaymentMethodListParams.Type.CARD).build()).getData()).hasSize(1);
        PaymentMethod detached = stripe.v1().paymentMethods().detach(pm.getId());
        assertThat(detached.getCustomer()).isNull();
        assertThat(stripe.v1().customers().paymentMethods().list(c.getId()).getData()).isEmpty();
    }

    @Test
    void missingPaymentMethodOnConfirm() throws Exception {
        PaymentIntent pi = create(1000, "usd");
        assertThatThrownBy(() -> stripe.v1().paymentIntents().confirm(pi.getId()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(Map.of()).isEmpty();
    }

    @Test
    void returnUrlRequiredWhenRedirectsAreAllowed() throws Exception {
        PaymentIntent pi = create(1000, "usd");
        assertThatThrownBy(() -> stripe.v1().paymentIntents().confirm(pi.getId(), PaymentIntentConfirmParams
                .builder().setPaymentMethod("pm_card_visa").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getParam())
                        .isEqualTo("return_url"));
        PaymentIntent noRedirects = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(1000L).setCurrency("usd").setAutomaticPaymentMethods(PaymentIntentCreateParams
                        .AutomaticPaymentMethods.builder().setEnabled(true).setAllowRedirects(
                                PaymentIntentCreateParams.AutomaticPaymentMethods.AllowRedirects.NEVER).build())
                .setPaymentMethod("pm_card_visa").setConfirm(true).build());
        assertThat(noRedirects.getStatus()).isEqualTo("succeeded");
    }

    @Test
    void uncapturedAuthorizationExpiresAfterSevenDays() throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(900L)
                .setCurrency("usd").setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL)
                .setPaymentMethod("pm_card_visa").setConfirm(true).setReturnUrl("https://x.example").build());
        emulator.advanceClock(6 * 86400);
        assertThat(stripe.v1().paymentIntents().retrieve(pi.getId()).getStatus()).isEqualTo("requires_capture");
        emulator.advanceClock(86400 + 60);
        PaymentIntent expired = stripe.v1().paymentIntents().retrieve(pi.getId());
        assertThat(expired.getStatus()).isEqualTo("canceled");
        assertThat(expired.getCancellationReason()).isEqualTo("automatic");
        assertThat(stripe.v1().charges().retrieve(pi.getLatestCharge()).getRefunded()).isTrue();
        assertThat(emulator.eventsJson()).anyMatch(e -> e.contains("\"charge.expired\"") && e.contains(pi.getId()));
        assertThat(stripe.v1().events().list(com.stripe.param.EventListParams.builder().setType("charge.expired")
                .build()).getData().get(0).getDataObjectDeserializer().getObject()).isPresent();
    }

    @Test
    void setupFutureUsageAttachesThePaymentMethod() throws Exception {
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().build());
        PaymentIntent pi = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(800L)
                .setCurrency("usd").setCustomer(c.getId()).setPaymentMethod("pm_card_visa").setConfirm(true)
                .setSetupFutureUsage(PaymentIntentCreateParams.SetupFutureUsage.OFF_SESSION)
                .setReturnUrl("https://x.example").build());
        assertThat(stripe.v1().paymentMethods().retrieve(pi.getPaymentMethod()).getCustomer()).isEqualTo(c.getId());
    }

    @Test
    void threeDSecureInAModalPostsAMessageInsteadOfRedirecting() throws Exception {
        PaymentIntent pi = create(3000, "usd");
        confirmWith(pi.getId(), "pm_card_threeDSecure2Required");
        HttpResponse<String> page = get("/3ds/" + pi.getId() + "?client_secret=" + pi.getClientSecret()
                + "&mode=modal");
        assertThat(page.body()).contains("name=\"mode\" value=\"modal\"");
        HttpResponse<String> done = post("/3ds/" + pi.getId() + "/complete", "client_secret=" + pi.getClientSecret()
                + "&mode=modal");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("stripe-emulator-3ds").contains("succeeded");
        assertThat(stripe.v1().paymentIntents().retrieve(pi.getId()).getStatus()).isEqualTo("succeeded");
    }
}
