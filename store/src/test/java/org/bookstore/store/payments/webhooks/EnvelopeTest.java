package org.bookstore.store.payments.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Event;
import com.stripe.net.Webhook;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Whatever a signed body looks like, the id and type the envelope reader answers from are the ones Stripe's SDK
 * reads; when they might not be, the reader answers nothing and the SDK decides. (The rest of the event is not read:
 * an unused type with a malformed {@code data} is acknowledged, as the store means to.)
 */
class EnvelopeTest {

    private static final String DATA = "\"object\":\"event\",\"data\":{\"object\":{\"id\":\"pi_1\",\"object\":\"payment_intent\","
            + "\"type\":\"customer.updated\",\"id\":\"evt_nested\"}}";

    private static final String SECRET = "whsec_envelope";

    @Test
    void theEnvelopeNeverDisagreesWithStripesParser() throws Exception {
        List<String> bodies = List.of(
                "{\"id\":\"evt_1\"," + DATA + ",\"type\":\"payment_intent.succeeded\"}",
                "{\"type\":\"payment_intent.succeeded\",\"id\":\"evt_1\"," + DATA + "}",
                "{\"type\":\"customer.updated\",\"id\":\"evt_1\"," + DATA + ",\"type\":\"payment_intent.succeeded\"}",
                "{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\"," + DATA + ",\"id\":\"evt_2\"}",
                "{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\"," + DATA + ",\"type\":null}",
                "{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\"," + DATA + ",\"type\":7}",
                "{\"id\":\"evt_1\",\"typ\\u0065\":\"customer.updated\"," + DATA + ",\"type\":\"payment_intent.succeeded\"}",
                "{\"id\":\"evt_1\",\"type\":\"payment_intent.succ\\u0065eded\"," + DATA + "}",
                "{\"id\":\"evt_1\",/* a comment */\"type\":\"customer.updated\"," + DATA + "}",
                "{id:\"evt_1\",type:'customer.updated'," + DATA + "}",
                "{\"id\":\"evt_1\",\"type\":\"customer.updated\"," + DATA + "}\n",
                "{\"id\":\"evt_1\",\"type\":\"customer.updated\"," + DATA + "} {\"type\":\"payment_intent.succeeded\"}",
                "{\"id\":\"evt_1\",\"type\":\"customer.updated\"," + DATA + "}]",
                "{\"id\":\"evt_1\",\"type\":\"customer.updated\",\"data\":" + "[".repeat(300) + "]".repeat(300) + "}",
                "{\"id\":\"evt_1\",\"type\":[\"payment_intent.succeeded\"]," + DATA + "}",
                "\ufeff{\"id\":\"evt_1\",\"type\":\"customer.updated\"," + DATA + "}",
                "{\"id\":\"evt_1\",\"type\":\"customer.updated\"," + DATA + ",\"type\":\"payment_intent.succeeded\"",
                " {\"id\":\"evt_1\",\"type\":\"customer.updated\"," + DATA + "} ");
        for (String body : bodies) {
            Optional<StripeWebhookEndpoint.Envelope> envelope = StripeWebhookEndpoint.Envelope.read(body);
            Event event;
            try {
                event = Webhook.constructEvent(body, signature(body), SECRET);
            } catch (RuntimeException refused) {
                assertThat(envelope).as("the SDK refuses %s", body).isEmpty();
                continue;
            }
            envelope.ifPresent(read -> assertThat(List.of(read.id(), read.type())).as(body)
                    .isEqualTo(List.of(event.getId(), event.getType())));
        }
    }

    private static String signature(String payload) throws Exception {
        long now = java.time.Instant.now().getEpochSecond();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + now + ",v1=" + java.util.HexFormat.of().formatHex(mac.doFinal((now + "." + payload)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
