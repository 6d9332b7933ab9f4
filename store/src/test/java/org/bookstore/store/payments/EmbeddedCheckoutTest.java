package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bookstore.store.support.Eventually.eventually;

import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentConfirmParams;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The embedded integration's server side, with the browser's part (confirming the PaymentIntent with a card) done
 * through stripe-java as Stripe.js would; {@code EmbeddedCheckoutBrowserTest} does the same in Chromium.
 */
@TestPropertySource(properties = "bookstore.checkout.ui=embedded")
class EmbeddedCheckoutTest extends CheckoutScenarios {

    private static final Pattern DATA = Pattern.compile("data-([a-z-]+)=\"([^\"]*)\"");

    @org.springframework.beans.factory.annotation.Autowired
    org.bookstore.store.payments.checkout.Reconciliation reconciliation;

    @AfterEach
    void calmStripe() {
        emulator().releaseEvents(false);
        emulator().clearFaults();
    }

    @Test
    void theCheckoutPageShowsWhatWillBeChargedAndLoadsTheConfiguredStripeJs() {
        Shopper shopper = shopperWithCart();
        HttpResponse<String> page = shopper.browser().get("/checkout");

        assertThat(page.body()).contains("Total to pay", "$71.00", "id=\"payment-element\"", "Pay $71.00",
                "<script src=\"" + emulator().baseUrl() + "/v3/\"></script>", "/js/embedded-checkout.js");
        assertThat(attribute(page.body(), "amount")).isEqualTo("7100");
        assertThat(attribute(page.body(), "currency")).isEqualTo("usd");
    }

    @Test
    void theContentSecurityPolicyAllowsExactlyStripeJsItsFramesAndItsApi() {
        Shopper shopper = shopperWithCart();
        String policy = shopper.browser().get("/checkout").headers().firstValue("Content-Security-Policy").orElseThrow();
        String stripeOrigin = emulator().baseUrl();

        assertThat(directive(policy, "script-src")).containsExactly("'self'", stripeOrigin);
        assertThat(directive(policy, "frame-src")).containsExactly("'self'", stripeOrigin);
        assertThat(directive(policy, "connect-src")).containsExactly("'self'", stripeOrigin);
        assertThat(directive(policy, "default-src")).containsExactly("'self'");
        assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval", "*");
    }

    @Test
    void payingCreatesOnePaymentIntentForTheDatabaseAmountAndTheReturnPageConfirmsIt() throws Exception {
        Shopper shopper = shopperWithCart();
        String page = shopper.browser().get("/checkout").body();

        String clientSecret = pressPay(shopper, page);
        String again = pressPay(shopper, page);
        assertThat(again).as("a double click confirms the same PaymentIntent").isEqualTo(clientSecret);

        PaymentIntent intent = confirm(clientSecret, "pm_card_visa");
        assertThat(intent.getAmount()).isEqualTo(7100L);
        assertThat(intent.getStatus()).isEqualTo("succeeded");
        assertThat(intent.getMetadata()).containsEntry("order_id", attribute(page, "order-id"));

        HttpResponse<String> confirmation = shopper.browser().get("/checkout/complete?payment_intent=" + intent.getId()
                + "&payment_intent_client_secret=" + clientSecret + "&redirect_status=succeeded");
        assertThat(confirmation.uri().getPath()).isEqualTo("/orders/" + attribute(page, "order-id"));
        assertThat(confirmation.body()).contains("Your payment was received", "$71.00", intent.getLatestCharge());
        assertThat(intent.getLatestCharge()).startsWith("ch_");
    }

    @Test
    void aDeclineLeavesTheOrderUnpaidAndPayingAgainUsesTheSamePaymentIntent() throws Exception {
        Shopper shopper = shopperWithCart();
        String page = shopper.browser().get("/checkout").body();
        long order = Long.parseLong(attribute(page, "order-id"));

        String clientSecret = pressPay(shopper, page);
        assertThatThrownBy(() -> confirm(clientSecret, "pm_card_visa_chargeDeclined"))
                .isInstanceOf(CardException.class).hasMessageContaining("Your card was declined.");
        eventually("the decline is recorded", () -> "payment_failed".equals(status(order)));

        HttpResponse<String> retryPage = shopper.browser().get("/checkout?order=" + order);
        assertThat(retryPage.body()).contains("$71.00");
        assertThat(pressPay(shopper, retryPage.body())).isEqualTo(clientSecret);
        PaymentIntent paid = confirm(clientSecret, "pm_card_visa");
        shopper.browser().get("/checkout/complete?payment_intent=" + paid.getId());

        assertThat(status(order)).isEqualTo("paid");
        assertThat(chargeId(order)).isEqualTo(paid.getLatestCharge());
    }

    @Test
    void theBrowsersWordNeverMarksAnOrderPaid() {
        Shopper shopper = shopperWithCart();
        String page = shopper.browser().get("/checkout").body();
        String clientSecret = pressPay(shopper, page);
        String intentId = clientSecret.substring(0, clientSecret.indexOf("_secret_"));

        HttpResponse<String> forged = shopper.browser().get("/checkout/complete?payment_intent=" + intentId + "&redirect_status=succeeded");

        assertThat(forged.body()).doesNotContain("Your payment was received");
        assertThat(status(Long.parseLong(attribute(page, "order-id")))).isNotEqualTo("paid");
    }

    @Test
    void aPageShowingAnOldCartIsToldTheTotalChangedInsteadOfCharging() {
        Shopper shopper = shopperWithCart();
        String oldPage = shopper.browser().get("/checkout").body();

        shopper.browser().get("/books/working-in-public");
        shopper.browser().post("/cart/add", "bookId", Long.toString(bookId("working-in-public")), "quantity", "1");

        HttpResponse<String> refused = pressPayRaw(shopper, oldPage);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("Your cart changed in another window: the total is now $99.00");
        assertThat(emulator().objectsJson("payment_intent")).noneMatch(json -> json.contains("\"order_id\":\"" + attribute(oldPage, "order-id") + "\""));
    }

    @Test
    void aCartChangedWhileItsPaymentIsOpenCancelsThePaymentIntentSoTheOldTotalCanNeverBeCharged() {
        emulator().holdEvents();
        Shopper shopper = shopperWithCart();
        String oldPage = shopper.browser().get("/checkout").body();
        String oldSecret = pressPay(shopper, oldPage);

        shopper.browser().get("/books/working-in-public");
        shopper.browser().post("/cart/add", "bookId", Long.toString(bookId("working-in-public")), "quantity", "1");

        assertThatThrownBy(() -> confirm(oldSecret, "pm_card_visa")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("canceled");
        String newPage = shopper.browser().get("/checkout").body();
        assertThat(newPage).contains("$99.00");
        assertThat(attribute(newPage, "amount")).isEqualTo("9900");
        emulator().releaseEvents(false);
    }

    @Test
    void aPaymentLeftUnfinishedIsCancelledAfterTheCheckoutTimeGivingBackTheCartAndTheStock() {
        Shopper shopper = shopperWithCart();
        int stockBefore = stock("making-of-prince-of-persia");
        String page = shopper.browser().get("/checkout").body();
        long order = Long.parseLong(attribute(page, "order-id"));
        String secret = pressPay(shopper, page);
        String intentId = secret.substring(0, secret.indexOf("_secret_"));
        eventually("payment_intent.created made the order pending", () -> "pending".equals(status(order)));
        assertThat(stock("making-of-prince-of-persia")).isEqualTo(stockBefore - 1);

        assertThat(reconciliation.reconcile(Instant.now().plus(Duration.ofMinutes(30))).closed())
                .as("a payment started just now is left alone").isZero();
        assertThat(reconciliation.reconcile(Instant.now().plus(Duration.ofMinutes(61))).closed()).isEqualTo(1);

        assertThat(status(order)).isEqualTo("cart");
        assertThat(stock("making-of-prince-of-persia")).isEqualTo(stockBefore);
        assertThat(emulator().objectsJson("payment_intent")).anyMatch(json -> json.contains("\"id\":\"" + intentId + "\"")
                && json.contains("\"status\":\"canceled\""));
        assertThat(shopper.browser().get("/cart").body()).contains("$71.00");
    }

    @Test
    void stripeDownWhenPressingPayGivesAClearMessageAndKeepsTheCart() {
        Shopper shopper = shopperWithCart();
        String page = shopper.browser().get("/checkout").body();
        emulator().failNext("POST", "/v1/payment_intents", 10, 503);

        HttpResponse<String> refused = pressPayRaw(shopper, page);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("Payments are unavailable right now. Your cart is safe");
        assertThat(shopper.browser().get("/cart").body()).contains("$71.00");
        emulator().clearFaults();
        assertThat(pressPay(shopper, page)).contains("_secret_");
    }

    @Test
    void anotherBuyersPaymentIsNotFound() {
        Shopper owner = shopperWithCart();
        String page = owner.browser().get("/checkout").body();
        String secret = pressPay(owner, page);
        String intentId = secret.substring(0, secret.indexOf("_secret_"));

        Shopper stranger = shopperWithCart();
        assertThat(stranger.browser().get("/checkout/complete?payment_intent=" + intentId).statusCode()).isEqualTo(404);
        assertThat(stranger.browser().postFrom(stranger.browser().get("/checkout").body(), "/checkout/payment-intent", "orderId", attribute(page, "order-id"),
                "cartDigest", attribute(page, "cart-digest")).statusCode()).isEqualTo(404);
    }

    @Test
    void aBuyerPressingPayIsNeverHandedAPaymentIntentSomeoneElseMadeForTheirOrder() throws Exception {
        Shopper victim = shopperWithCart();
        String page = victim.browser().get("/checkout").body();
        String order = attribute(page, "order-id");
        PaymentIntent foreign = stripe.client().v1().paymentIntents().create(com.stripe.param.PaymentIntentCreateParams.builder()
                .setAmount(50_000L).setCurrency("usd").putMetadata("order_id", order)
                .setAutomaticPaymentMethods(com.stripe.param.PaymentIntentCreateParams.AutomaticPaymentMethods.builder().setEnabled(true)
                        .setAllowRedirects(com.stripe.param.PaymentIntentCreateParams.AutomaticPaymentMethods.AllowRedirects.NEVER).build())
                .build());
        assertThatThrownBy(() -> stripe.client().v1().paymentIntents().confirm(foreign.getId(),
                PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_visa_chargeDeclined").build()))
                .isInstanceOf(CardException.class);
        eventually("the stranger's payment was kept for attention", () -> jdbc.sql(
                "SELECT COUNT(*) FROM payment_attention WHERE kind = 'FOREIGN_PAYMENT' AND stripe_object_id = ?")
                .param(foreign.getId()).query(Integer.class).single() == 1);
        assertThat(status(Long.parseLong(order))).isEqualTo("cart");

        String secret = pressPay(victim, page);

        assertThat(secret).doesNotStartWith(foreign.getId());
        PaymentIntent charged = stripe.client().v1().paymentIntents().retrieve(secret.substring(0, secret.indexOf("_secret_")));
        assertThat(charged.getAmount()).isEqualTo(7100L);
        assertThat(charged.getMetadata()).containsEntry("order_id", order);
    }

    @Test
    void thePaymentIsAcceptedOnlyForExactlyTheAmountReceived() throws Exception {
        Shopper shopper = shopperWithCart();
        String page = shopper.browser().get("/checkout").body();
        long order = Long.parseLong(attribute(page, "order-id"));
        String secret = pressPay(shopper, page);
        String intentId = secret.substring(0, secret.indexOf("_secret_"));
        // Someone with access to the account lowers the amount before the payment is confirmed.
        stripe.client().v1().paymentIntents().update(intentId, com.stripe.param.PaymentIntentUpdateParams.builder().setAmount(100L).build());

        PaymentIntent paid = confirm(secret, "pm_card_visa");
        assertThat(paid.getAmountReceived()).isEqualTo(100L);
        shopper.browser().get("/checkout/complete?payment_intent=" + intentId);

        assertThat(status(order)).isNotEqualTo("paid");
        assertThat(jdbc.sql("SELECT detail FROM payment_attention WHERE kind = 'AMOUNT_MISMATCH' AND stripe_object_id = ?")
                .param(intentId).query(String.class).single()).contains("received 100 USD", "charges 7100 USD");
    }

    private String pressPay(Shopper shopper, String page) {
        HttpResponse<String> response = pressPayRaw(shopper, page);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher secret = Pattern.compile("\"clientSecret\":\"([^\"]+)\"").matcher(response.body());
        assertThat(secret.find()).isTrue();
        return secret.group(1);
    }

    private HttpResponse<String> pressPayRaw(Shopper shopper, String page) {
        return shopper.browser().postFrom(page, "/checkout/payment-intent", "orderId", attribute(page, "order-id"),
                "cartDigest", attribute(page, "cart-digest"));
    }

    /** What Stripe.js does with the card the buyer typed: confirm the PaymentIntent with its client secret. */
    private PaymentIntent confirm(String clientSecret, String paymentMethod) throws Exception {
        String id = clientSecret.substring(0, clientSecret.indexOf("_secret_"));
        return stripe.client().v1().paymentIntents().confirm(id, PaymentIntentConfirmParams.builder()
                .setPaymentMethod(paymentMethod).setReturnUrl("http://localhost:" + port + "/checkout/complete").build());
    }

    private static String attribute(String html, String name) {
        Matcher matcher = DATA.matcher(html);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return matcher.group(2);
            }
        }
        throw new AssertionError("No data-" + name + " on the page");
    }

    private static java.util.List<String> directive(String policy, String name) {
        for (String part : policy.split(";")) {
            String[] words = part.trim().split("\\s+");
            if (words[0].equals(name)) {
                return java.util.Arrays.asList(words).subList(1, words.length);
            }
        }
        throw new AssertionError("No " + name + " in " + policy);
    }
}
