package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What the stand-in Stripe.js needs from the emulator, without a browser: its files and the modal 3-D Secure page. */
class StripeJsPagesTest extends EmulatorTestBase {

    @Test
    void servesStripeJsAndTheCardFrame() throws Exception {
        for (String path : new String[] {"/v3/", "/v3"}) {
            HttpResponse<String> js = get(path);
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("application/javascript");
            assertThat(js.body()).contains("window.Stripe = Stripe");
        }
        HttpResponse<String> frame = get("/elements/element.html");
        assertThat(frame.statusCode()).isEqualTo(200);
        assertThat(frame.body()).contains("<label for=\"number\">Card number</label>", "placeholder=\"MM / YY\"",
                "<label for=\"cvc\">CVC</label>");
        assertThat(get("/elements/element.js").statusCode()).isEqualTo(200);
        assertThat(get("/elements").statusCode()).isEqualTo(404);
    }

    PaymentIntent requiringAction() throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(1500L)
                .setCurrency("usd").build());
        return stripe.v1().paymentIntents().confirm(pi.getId(), PaymentIntentConfirmParams.builder()
                .setPaymentMethod("pm_card_threeDSecure2Required").setReturnUrl("https://shop.example/return")
                .build());
    }

    @Test
    void modalThreeDSecurePostsOnlyToTheGivenOrigin() throws Exception {
        PaymentIntent pi = requiringAction();
        assertThat(pi.getStatus()).isEqualTo("requires_action");
        String q = "client_secret=" + pi.getClientSecret() + "&mode=modal&origin=http%3A%2F%2F127.0.0.1%3A8080";
        assertThat(get("/3ds/" + pi.getId() + "?" + q).body())
                .contains("name=\"origin\" value=\"http://127.0.0.1:8080\"");
        HttpResponse<String> done = post("/3ds/" + pi.getId() + "/fail", q);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("stripe-emulator-3ds", "failed", "'http://127.0.0.1:8080')")
                .doesNotContain("'*'");
        assertThat(stripe.v1().paymentIntents().retrieve(pi.getId()).getStatus())
                .isEqualTo("requires_payment_method");
    }

    @Test
    void modalThreeDSecureIgnoresAMalformedOrigin() throws Exception {
        PaymentIntent pi = requiringAction();
        String q = "client_secret=" + pi.getClientSecret() + "&mode=modal&origin=javascript%3Aalert(1)%27";
        String page = get("/3ds/" + pi.getId() + "?" + q).body();
        assertThat(page).doesNotContain("name=\"origin\"").doesNotContain("alert(1)");
        HttpResponse<String> done = post("/3ds/" + pi.getId() + "/complete", q);
        assertThat(done.body()).contains("'*'").doesNotContain("alert(1)");
        assertThat(stripe.v1().paymentIntents().retrieve(pi.getId()).getStatus()).isEqualTo("succeeded");
    }
}
