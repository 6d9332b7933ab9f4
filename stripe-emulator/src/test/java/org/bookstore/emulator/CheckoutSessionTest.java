package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.LineItem;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.StripeCollection;
import com.stripe.model.checkout.Session;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.EventListParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionListParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckoutSessionTest extends EmulatorTestBase {

    static SessionCreateParams.Builder params() {
        return SessionCreateParams.builder().setMode(SessionCreateParams.Mode.PAYMENT)
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(2L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd")
                                .setUnitAmount(1250L).setProductData(SessionCreateParams.LineItem.PriceData
                                        .ProductData.builder().setName("Dune").build()).build()).build())
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd")
                                .setUnitAmount(899L).setProductData(SessionCreateParams.LineItem.PriceData
                                        .ProductData.builder().setName("Emma").build()).build()).build())
                .setSuccessUrl("https://shop.example/checkout/success?session_id={CHECKOUT_SESSION_ID}")
                .setCancelUrl("https://shop.example/cart")
                .setClientReferenceId("order-17")
                .putMetadata("order_id", "17")
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder().putMetadata("order_id", "17")
                        .build())
                .setCustomerEmail("buyer@example.com");
    }

    static String pay(Session s, String card) throws Exception {
        return payForm(s, "email=buyer%40example.com&card_number=" + URLEncoder.encode(card, StandardCharsets.UTF_8)
                + "&expiry=12%2F34&cvc=123&name=Ann+Buyer").headers().firstValue("Location").orElse(null);
    }

    static HttpResponse<String> payForm(Session s, String form) throws Exception {
        return post(s.getUrl(), form);
    }

    @Test
    void theHostedPageShowsTheCustomersEmailAsStripeDoes() throws Exception {
        Customer customer = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("known@example.com").build());
        Session s = stripe.v1().checkout().sessions().create(params().setCustomerEmail(null).setCustomer(customer.getId()).build());

        String page = get(s.getUrl()).body();

        assertThat(page).contains("value=\"known@example.com\" readonly");
    }

    @Test
    void lifecycleWithLazyPaymentIntent() throws Exception {
        Session s = stripe.v1().checkout().sessions().create(params().build());
        assertThat(s.getId()).startsWith("cs_test_");
        assertThat(s.getUrl()).isEqualTo(emulator.baseUrl() + "/c/pay/" + s.getId());
        assertThat(s.getStatus()).isEqualTo("open");
        assertThat(s.getPaymentStatus()).isEqualTo("unpaid");
        assertThat(s.getAmountTotal()).isEqualTo(3399L);
        assertThat(s.getCurrency()).isEqualTo("usd");
        assertThat(s.getPaymentIntent()).isNull();
        assertThat(s.getClientReferenceId()).isEqualTo("order-17");
        assertThat(s.getExpiresAt() - s.getCreated()).isEqualTo(86400L);

        HttpResponse<String> page = get(s.getUrl());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Dune").contains("Emma").contains("$33.99").contains("Card number")
                .contains("Expiry").contains("CVC").contains(">Pay<").contains("https://shop.example/cart");

        String location = pay(s, "4242 4242 4242 4242");
        assertThat(location).isEqualTo("https://shop.example/checkout/success?session_id=" + s.getId());

        Session done = stripe.v1().checkout().sessions().retrieve(s.getId(), SessionRetrieveParams.builder()
                .addExpand("line_items").addExpand("payment_intent.latest_charge").build());
        assertThat(done.getStatus()).isEqualTo("complete");
        assertThat(done.getPaymentStatus()).isEqualTo("paid");
        assertThat(done.getCustomerDetails().getEmail()).isEqualTo("buyer@example.com");
        PaymentIntent pi = done.getPaymentIntentObject();
        assertThat(pi.getStatus()).isEqualTo("succeeded");
        assertThat(pi.getAmount()).isEqualTo(3399L);
        assertThat(pi.getMetadata()).containsEntry("order_id", "17");
        assertThat(pi.getLatestChargeObject().getPaid()).isTrue();
        assertThat(done.getLineItems().getData()).extracting(LineItem::getDescription).containsExactly("Dune", "Emma");
        assertThat(done.getLineItems().getData().get(0).getQuantity()).isEqualTo(2L);
        assertThat(done.getLineItems().getData().get(0).getAmountTotal()).isEqualTo(2500L);

        StripeCollection<LineItem> items = stripe.v1().checkout().sessions().lineItems().list(s.getId());
        assertThat(items.getData()).hasSize(2);
        assertThat(items.getData().get(1).getPrice().getUnitAmount()).isEqualTo(899L);

        // payment_intent.created comes only now, before succeeded, then checkout.session.completed
        List<String> types = new ArrayList<>();
        for (Event e : stripe.v1().events().list(EventListParams.builder().setLimit(100L).build())
                .autoPagingIterable()) {
            String json = e.getDataObjectDeserializer().getRawJson();
            if (json.contains(s.getId()) || json.contains(pi.getId())) {
                types.add(0, e.getType());
            }
        }
        assertThat(types).containsSubsequence("payment_intent.created", "charge.succeeded",
                "payment_intent.succeeded", "checkout.session.completed");

        // the page of a completed session sends the buyer on
        assertThat(get(s.getUrl()).statusCode()).isEqualTo(303);
        assertThat(stripe.v1().checkout().sessions().list(SessionListParams.builder().setPaymentIntent(pi.getId())
                .build()).getData()).extracting(Session::getId).containsExactly(s.getId());
    }

    @Test
    void sessionMetadataIsNotCopiedToThePaymentIntent() throws Exception {
        Session s = stripe.v1().checkout().sessions().create(params().setPaymentIntentData(null)
                .putMetadata("cart", "c1").build());
        pay(s, "4242424242424242");
        Session done = stripe.v1().checkout().sessions().retrieve(s.getId(), SessionRetrieveParams.builder()
                .addExpand("payment_intent").build());
        assertThat(done.getMetadata()).containsEntry("cart", "c1");
        assertThat(done.getPaymentIntentObject().getMetadata()).isEmpty();
    }

    @Test
    void declineRerendersAndRetryUsesTheSamePaymentIntent() throws Exception {
        Session s = stripe.v1().checkout().sessions().create(params().build());
        HttpResponse<String> declined = payForm(s, "email=b%40example.com&card_number=4000000000000002"
                + "&expiry=12%2F34&cvc=123&name=A");
        assertThat(declined.statusCode()).isEqualTo(200);
        assertThat(declined.body()).contains("Your card was declined.");
        String piId = stripe.v1().checkout().sessions().retrieve(s.getId()).getPaymentIntent();
        assertThat(piId).startsWith("pi_");
        assertThat(stripe.v1().paymentIntents().retrieve(piId).getStatus()).isEqualTo("requires_payment_method");

        HttpResponse<String> insufficient = payForm(s, "email=b%40example.com&card_number=4000000000009995"
                + "&expiry=12%2F34&cvc=123&name=A");
        assertThat(insufficient.body()).contains("Your card has insufficient funds.");

        assertThat(pay(s, "4242424242424242")).contains(s.getId());
        Session done = stripe.v1().checkout().sessions().retrieve(s.getId());
        assertThat(done.getPaymentIntent()).isEqualTo(piId);
        assertThat(done.getPaymentStatus()).isEqualTo("paid");
    }

    @Test
    void threeDSecureThroughTheAuthenticationPage() throws Exception {
        Session s = stripe.v1().checkout().sessions().create(params().build());
        String auth = pay(s, "4000002500003155");
        assertThat(auth).startsWith(emulator.baseUrl() + "/3ds/pi_");
        assertThat(stripe.v1().checkout().sessions().retrieve(s.getId()).getStatus()).isEqualTo("open");
        HttpResponse<String> page = get(auth);
        assertThat(page.body()).contains("Complete").contains("Fail");
        String piId = stripe.v1().checkout().sessions().retrieve(s.getId()).getPaymentIntent();
        String secret = stripe.v1().paymentIntents().retrieve(piId).getClientSecret();

        HttpResponse<String> failed = post("/3ds/" + piId + "/fail", "client_secret=" + secret);
        assertThat(failed.headers().firstValue("Location").orElseThrow()).isEqualTo("/c/pay/" + s.getId() + "/return");
        HttpResponse<String> back = get("/c/pay/" + s.getId() + "/return");
        assertThat(back.body()).contains("We are unable to authenticate your payment method.").doesNotContain("payment_method_data");

        String auth2 = pay(s, "4000000000003220");
        assertThat(auth2).contains("/3ds/" + piId);
        HttpResponse<String> ok = post("/3ds/" + piId + "/complete", "client_secret=" + secret);
        assertThat(ok.headers().firstValue("Location").orElseThrow()).isEqualTo("/c/pay/" + s.getId() + "/return");
        HttpResponse<String> ret = get("/c/pay/" + s.getId() + "/return");
        assertThat(ret.statusCode()).isEqualTo(303);
        assertThat(ret.headers().firstValue("Location").orElseThrow()).endsWith("session_id=" + s.getId());
        assertThat(stripe.v1().checkout().sessions().retrieve(s.getId()).getPaymentStatus()).isEqualTo("paid");
    }

    @Test
    void expireAndClockAdvance() throws Exception {
        Session s = stripe.v1().checkout().sessions().create(params().build());
        Session expired = stripe.v1().checkout().sessions().expire(s.getId());
        assertThat(expired.getStatus()).isEqualTo("expired");
        assertThat(get(s.getUrl()).body()).contains("This session has expired");
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().expire(s.getId()))
                .isInstanceOf(InvalidRequestException.class);

        Session soon = stripe.v1().checkout().sessions().create(params()
                .setExpiresAt(emulator.now() + 1860).build());
        Session later = stripe.v1().checkout().sessions().create(params().build());
        emulator.advanceClock(1861);
        assertThat(stripe.v1().checkout().sessions().retrieve(soon.getId()).getStatus()).isEqualTo("expired");
        assertThat(stripe.v1().checkout().sessions().retrieve(later.getId()).getStatus()).isEqualTo("open");
        boolean sawExpired = false;
        for (Event e : stripe.v1().events().list(EventListParams.builder().setType("checkout.session.expired")
                .build()).getData()) {
            Session obj = (Session) e.getDataObjectDeserializer().getObject().orElseThrow();
            sawExpired |= obj.getId().equals(soon.getId());
        }
        assertThat(sawExpired).isTrue();
        HttpResponse<String> tooLate = payForm(soon, "email=b%40example.com&card_number=4242424242424242"
                + "&expiry=12%2F34&cvc=123");
        assertThat(tooLate.body()).contains("This session has expired");
    }

    @Test
    void expiresAtValidation() {
        long now = emulator.now();
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(params().setExpiresAt(now + 600).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getParam()).isEqualTo("expires_at");
                    assertThat(e.getStripeError().getMessage()).contains("at least 30 minutes");
                });
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(params()
                .setExpiresAt(now + 90000).build())).isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getParam()).isEqualTo("expires_at"));
    }

    @Test
    void pricesAndCustomer() throws Exception {
        Product prod = stripe.v1().products().create(ProductCreateParams.builder().setName("Middlemarch").build());
        Price price = stripe.v1().prices().create(PriceCreateParams.builder().setCurrency("eur").setUnitAmount(1500L)
                .setProduct(prod.getId()).build());
        assertThat(price.getType()).isEqualTo("one_time");
        assertThat(stripe.v1().prices().retrieve(price.getId()).getProduct()).isEqualTo(prod.getId());
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("cus@example.com")
                .build());
        Session s = stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).setCustomer(c.getId())
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(price.getId()).setQuantity(3L).build())
                .setSuccessUrl("https://shop.example/ok").build());
        assertThat(s.getAmountTotal()).isEqualTo(4500L);
        assertThat(s.getCurrency()).isEqualTo("eur");
        Session expanded = stripe.v1().checkout().sessions().retrieve(s.getId(), SessionRetrieveParams.builder()
                .addExpand("customer").build());
        assertThat(expanded.getCustomerObject().getEmail()).isEqualTo("cus@example.com");
        assertThat(payForm(s, "card_number=4242424242424242&expiry=12%2F34&cvc=123").statusCode()).isEqualTo(303);
        Session done = stripe.v1().checkout().sessions().retrieve(s.getId(), SessionRetrieveParams.builder()
                .addExpand("payment_intent").build());
        assertThat(done.getPaymentIntentObject().getCustomer()).isEqualTo(c.getId());
        assertThat(done.getPaymentIntentObject().getCurrency()).isEqualTo("eur");
    }

    @Test
    void validationErrors() {
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).setSuccessUrl("https://x.example")
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice("price_nope").setQuantity(1L).build())
                .build())).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("resource_missing");
                    assertThat(e.getParam()).isEqualTo("line_items[0][price]");
                });
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).setSuccessUrl("https://x.example")
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd")
                                .setUnitAmount(20L).setProductData(SessionCreateParams.LineItem.PriceData
                                        .ProductData.builder().setName("Cheap").build()).build()).build())
                .build())).isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("amount_too_small"));
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setSuccessUrl("https://x.example").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getParam())
                        .isEqualTo("mode"));
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(params()
                .putExtraParam("payment_intent_data[colour]", "red").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getParam())
                        .isEqualTo("payment_intent_data[colour]"));
    }

    @Test
    void zeroDecimalCurrency() throws Exception {
        Session s = stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).setSuccessUrl("https://x.example/{CHECKOUT_SESSION_ID}")
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("jpy")
                                .setUnitAmount(1500L).setProductData(SessionCreateParams.LineItem.PriceData
                                        .ProductData.builder().setName("Book").build()).build()).build())
                .build());
        assertThat(s.getAmountTotal()).isEqualTo(1500L);
        assertThat(get(s.getUrl()).body()).contains("¥1500");
    }

    @Test
    void manualCaptureCompletesUnpaidAndCustomerCreationAlways() throws Exception {
        Session s = stripe.v1().checkout().sessions().create(params()
                .setCustomerCreation(SessionCreateParams.CustomerCreation.ALWAYS)
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .setCaptureMethod(SessionCreateParams.PaymentIntentData.CaptureMethod.MANUAL).build())
                .build());
        assertThat(pay(s, "4242424242424242")).contains(s.getId());
        Session done = stripe.v1().checkout().sessions().retrieve(s.getId(), SessionRetrieveParams.builder()
                .addExpand("payment_intent").addExpand("customer").build());
        assertThat(done.getStatus()).isEqualTo("complete");
        assertThat(done.getPaymentStatus()).isEqualTo("unpaid");
        assertThat(done.getPaymentIntentObject().getStatus()).isEqualTo("requires_capture");
        assertThat(done.getCustomerObject().getEmail()).isEqualTo("buyer@example.com");
        assertThat(done.getPaymentIntentObject().getCustomer()).isEqualTo(done.getCustomerObject().getId());
    }

    @Test
    void invalidUrlIsRejected() {
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(params().setSuccessUrl("/relative")
                .build())).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("url_invalid");
                    assertThat(e.getParam()).isEqualTo("success_url");
                });
    }
}
