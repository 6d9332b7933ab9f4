package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Customer;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.DisputeListParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read-only dashboard page lists what happened: payments, refunds, disputes, events, webhook deliveries. */
class DashboardTest extends EmulatorTestBase {

    PaymentIntent paid(String pm, long amount, String customer) throws Exception {
        return stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(amount)
                .setCurrency("usd").setCustomer(customer).setPaymentMethod(pm).setConfirm(true)
                .setDescription("Dune & <friends>")
                .addPaymentMethodType("card").build());
    }

    @Test
    void listsPaymentsEventsAndWebhookAttempts() throws Exception {
        emulator.reset();
        try (Receiver ok = new Receiver(); Receiver failing = new Receiver()) {
            failing.script.add(500);
            emulator.addWebhookEndpoint(ok.url(), "payment_intent.succeeded");
            emulator.addWebhookEndpoint(failing.url().replace("/webhook", "/failing"), "payment_intent.succeeded");
            Customer c = stripe.v1().customers().create(CustomerCreateParams.builder()
                    .setEmail("ann@example.com").setName("Ann Reader").build());
            PaymentIntent pi = paid("pm_card_visa", 3399, c.getId());
            Refund refund = stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi.getId())
                    .setAmount(1000L).build());
            PaymentIntent disputed = paid("pm_card_createDispute", 1500, null);
            await("deliveries", () -> emulator.deliveryAttempts().stream().filter(a -> a.statusCode() != null
                    && a.statusCode() == 500).count() >= 1 && ok.received().size() >= 2);
            await("dispute", () -> {
                try {
                    return !stripe.v1().disputes().list(DisputeListParams.builder()
                            .setPaymentIntent(disputed.getId()).build()).getData().isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
            String disputeId = stripe.v1().disputes().list(DisputeListParams.builder()
                    .setPaymentIntent(disputed.getId()).build()).getData().get(0).getId();

            HttpResponse<String> r = get("/dashboard");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            String html = r.body();
            assertThat(html).contains(pi.getId(), pi.getLatestCharge(), "$33.99 USD", "succeeded", c.getId(),
                    "ann@example.com", refund.getId(), "$10.00 USD", disputeId, "payment_intent.succeeded",
                    "charge.refunded", "charge.dispute.created", ok.url(), failing.url().replace("/webhook",
                            "/failing"), ">200<", ">500<", " ms<");
            // descriptions are escaped, and the page needs nothing from elsewhere
            assertThat(html).contains("Dune &amp; &lt;friends&gt;").doesNotContain("<friends>");
            assertThat(html).doesNotContain("<script", "src=\"http", "href=\"http");
            // every webhook attempt appears, the retry of the failing endpoint included once it happened
            List<DeliveryAttempt> attempts = emulator.deliveryAttempts();
            for (DeliveryAttempt a : attempts) {
                assertThat(html).contains(a.eventId(), a.endpointId());
            }
        }
    }

    @Test
    void indexLinksTheDashboardAndIsReadOnly() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/"))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("href=\"/dashboard\"", "href=\"/v3/\"");
        assertThat(Json.read(get("/").body()).path("dashboard_url").asText())
                .isEqualTo(emulator.baseUrl() + "/dashboard");
        assertThat(post("/dashboard", "x=1").statusCode()).isEqualTo(405);
    }
}
