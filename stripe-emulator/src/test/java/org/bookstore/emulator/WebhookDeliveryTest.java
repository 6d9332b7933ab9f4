package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.WebhookEndpoint;
import com.stripe.net.Webhook;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.WebhookEndpointCreateParams;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest extends EmulatorTestBase {
    Receiver receiver;
    String secret;

    @BeforeEach
    void setUp() throws Exception {
        emulator.reset();
        receiver = new Receiver();
        secret = emulator.addWebhookEndpoint(receiver.url(), "customer.created", "customer.updated").secret();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    Customer newCustomer(String name) throws Exception {
        return stripe.v1().customers().create(CustomerCreateParams.builder().setName(name).build());
    }

    List<String> ids() {
        return receiver.received().stream().map(d -> Json.read(d.body()).path("id").asText())
                .collect(Collectors.toList());
    }

    @Test
    void signedDeliveryVerifiesWithStripeJava() throws Exception {
        Customer c = newCustomer("Sig");
        await("delivery", () -> receiver.received().size() == 1);
        Receiver.Delivery d = receiver.received().get(0);
        assertThat(d.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
        Event e = Webhook.constructEvent(d.body(), d.signature(), secret);
        assertThat(e.getType()).isEqualTo("customer.created");
        assertThat(e.getApiVersion()).isEqualTo("2026-07-29.dahlia");
        assertThat(e.getLivemode()).isFalse();
        assertThat(e.getRequest().getId()).startsWith("req_");
        assertThat(e.getRequest().getIdempotencyKey()).isNotBlank();
        Customer obj = (Customer) e.getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(obj.getId()).isEqualTo(c.getId());
        assertThatThrownBy(() -> Webhook.constructEvent(d.body(), d.signature(), "whsec_wrong"))
                .isInstanceOf(SignatureVerificationException.class);
        await("delivered count", () -> {
            try {
                return stripe.v1().events().retrieve(e.getId()).getPendingWebhooks() == 0;
            } catch (Exception ex) {
                return false;
            }
        });
    }

    @Test
    void onlyMatchingEventsAreDelivered() throws Exception {
        Customer c = newCustomer("Filter");
        stripe.v1().customers().delete(c.getId());
        Customer d = newCustomer("Second");
        await("two deliveries", () -> receiver.received().size() >= 2);
        assertThat(emulator.eventsJson()).anyMatch(s -> s.contains("customer.deleted"));
        // customer.deleted is not enabled on this endpoint
        await("settled", () -> emulator.deliveryAttempts().size() == 2);
        assertThat(receiver.received()).noneMatch(x -> x.body().contains("\"customer.deleted\""));
        assertThat(d.getId()).isNotNull();
    }

    @Test
    void retriesWithBackoffAndRecordsAttempts() throws Exception {
        receiver.script.add(500);
        receiver.script.add(302);
        Customer c = newCustomer("Retry");
        await("three attempts", () -> emulator.deliveryAttempts().size() == 3);
        List<DeliveryAttempt> attempts = emulator.deliveryAttempts();
        assertThat(attempts).extracting(DeliveryAttempt::statusCode).containsExactly(500, 302, 200);
        assertThat(attempts).extracting(DeliveryAttempt::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(DeliveryAttempt::succeeded).containsExactly(false, false, true);
        assertThat(attempts.get(1).startedAt()).isGreaterThanOrEqualTo(attempts.get(0).startedAt());
        // each retry carries its own, valid signature
        for (Receiver.Delivery d : receiver.received()) {
            Webhook.constructEvent(d.body(), d.signature(), secret);
        }
        JsonNode viaControl = Json.read(get("/_emulator/webhooks/attempts").body());
        assertThat(viaControl.path("data")).hasSize(3);
        assertThat(viaControl.path("data").get(0).path("status_code").asInt()).isEqualTo(500);
        assertThat(c.getId()).isNotNull();
    }

    @Test
    void givesUpAfterMaxAttempts() throws Exception {
        for (int i = 0; i < 10; i++) {
            receiver.script.add(400);
        }
        newCustomer("GiveUp");
        await("four attempts", () -> emulator.deliveryAttempts().size() == 4);
        assertThat(emulator.deliveryAttempts()).allMatch(a -> !a.succeeded());
    }

    @Test
    void timeoutCountsAsFailure() throws Exception {
        try (StripeEmulator fast = StripeEmulator.builder().timeScale(0.001)
                .webhookTimeout(Duration.ofMillis(200)).start(); Receiver slow = new Receiver()) {
            slow.sleepMillis = 1000;
            slow.script.add(200);
            fast.addWebhookEndpoint(slow.url());
            var c = com.stripe.StripeClient.builder().setApiKey("sk_test_1").setApiBase(fast.baseUrl()).build();
            c.v1().customers().create(CustomerCreateParams.builder().build());
            await("retry after timeout", () -> fast.deliveryAttempts().size() >= 2
                    && fast.deliveryAttempts().get(1).succeeded());
            assertThat(fast.deliveryAttempts().get(0).error()).isEqualTo("timeout");
            assertThat(fast.deliveryAttempts().get(0).statusCode()).isNull();
        }
    }

    @Test
    void duplicatesSameIdAndASecondId() throws Exception {
        emulator.duplicateNextEvents(1);
        Customer c = newCustomer("Dup");
        await("three deliveries", () -> receiver.received().size() == 3);
        List<String> ids = ids();
        assertThat(ids.stream().distinct().count()).isEqualTo(2);
        for (Receiver.Delivery d : receiver.received()) {
            Event e = Webhook.constructEvent(d.body(), d.signature(), secret);
            assertThat(e.getType()).isEqualTo("customer.created");
            assertThat(((Customer) e.getDataObjectDeserializer().getObject().orElseThrow()).getId())
                    .isEqualTo(c.getId());
        }
    }

    @Test
    void reorderDelayHoldReleaseResend() throws Exception {
        emulator.reorderNextEvents(3);
        newCustomer("A");
        newCustomer("B");
        newCustomer("C");
        await("three", () -> receiver.received().size() == 3);
        List<String> names = receiver.received().stream()
                .map(d -> Json.read(d.body()).path("data").path("object").path("name").asText())
                .collect(Collectors.toList());
        assertThat(names).containsExactly("C", "B", "A");

        emulator.holdEvents();
        newCustomer("D");
        newCustomer("E");
        assertThat(emulator.heldEventCount()).isEqualTo(2);
        assertThat(receiver.received()).hasSize(3);
        emulator.releaseEvents(false);
        await("five", () -> receiver.received().size() == 5);

        emulator.delayNextEvents(1, 50);
        newCustomer("F");
        await("six", () -> receiver.received().size() == 6);

        String first = ids().get(0);
        assertThat(emulator.resendEvent(first, null)).isEqualTo(1);
        await("seven", () -> receiver.received().size() == 7);
        assertThat(ids().get(6)).isEqualTo(first);
    }

    @Test
    void corruptedSignaturesFailVerification() throws Exception {
        emulator.corruptNextSignatures(1);
        newCustomer("Bad");
        await("one", () -> receiver.received().size() == 1);
        Receiver.Delivery d = receiver.received().get(0);
        assertThatThrownBy(() -> Webhook.constructEvent(d.body(), d.signature(), secret))
                .isInstanceOf(SignatureVerificationException.class);
        await("attempt recorded", () -> emulator.deliveryAttempts().size() == 1);
        assertThat(emulator.deliveryAttempts().get(0).signatureCorrupted()).isTrue();
    }

    @Test
    void endpointApiAndVersionStamp() throws Exception {
        WebhookEndpoint we = stripe.v1().webhookEndpoints().create(WebhookEndpointCreateParams.builder()
                .setUrl(receiver.url() + "?v=old").addEnabledEvent(WebhookEndpointCreateParams.EnabledEvent.ALL)
                .setApiVersion(WebhookEndpointCreateParams.ApiVersion.VERSION_2025_03_31_BASIL).build());
        assertThat(we.getSecret()).startsWith("whsec_");
        assertThat(we.getApiVersion()).isEqualTo("2025-03-31.basil");
        assertThat(we.getEnabledEvents()).containsExactly("*");
        assertThat(stripe.v1().webhookEndpoints().retrieve(we.getId()).getSecret()).isNull();
        assertThat(stripe.v1().webhookEndpoints().list().getData()).extracting(WebhookEndpoint::getId)
                .contains(we.getId());
        newCustomer("Versioned");
        await("two", () -> receiver.received().size() == 2);
        assertThat(receiver.received()).extracting(d -> Json.read(d.body()).path("api_version").asText())
                .containsExactlyInAnyOrder("2026-07-29.dahlia", "2025-03-31.basil");
        assertThat(stripe.v1().webhookEndpoints().delete(we.getId()).getDeleted()).isTrue();
    }
}
