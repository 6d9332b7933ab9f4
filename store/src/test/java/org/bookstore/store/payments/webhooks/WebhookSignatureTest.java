package org.bookstore.store.payments.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.net.Webhook;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The store checks a webhook's signature on the body's bytes; Stripe's SDK checks it on a string. For every header
 * here, well-formed, forged, stale or malformed, the store's verdict is the SDK's.
 */
class WebhookSignatureTest {

    private static final String SECRET = "whsec_signature_test";
    private static final String BODY = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\","
            + "\"data\":{\"object\":{\"id\":\"pi_1\",\"description\":\"Caf\u00e9 cr\u00e8me, \u00fcber \u2603 \ud83d\udcda\"}}}";

    @Test
    void everyHeaderGetsTheVerdictStripesSdkGives() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String good = Webhook.Util.computeHmacSha256(SECRET, now + "." + BODY);
        String other = Webhook.Util.computeHmacSha256("whsec_someone_else", now + "." + BODY);
        String stale = Webhook.Util.computeHmacSha256(SECRET, (now - 301) + "." + BODY);
        String later = Webhook.Util.computeHmacSha256(SECRET, (now + 3600) + "." + BODY);
        List<String> headers = new ArrayList<>(List.of(
                "t=" + now + ",v1=" + good,
                "v1=" + good + ",t=" + now,
                "t=" + now + ",v1=" + other,
                "t=" + now + ",v1=" + other + ",v1=" + good,
                "t=" + now + ",v0=" + good,
                "t=" + now + ",v1=" + good.toUpperCase(),
                "t=" + now + ",v1=" + good.substring(1),
                "t=" + now + ",v1=" + good + "0",
                "t=" + now + ", v1=" + good,
                "t=" + now + ",v1 =" + good,
                " t=" + now + ",v1=" + good,
                "t=" + now + ",v1=" + good + ",v1",
                "t=" + now + ",v1,v1=" + good,
                "t,t=" + now + ",v1=" + good,
                "t=" + now + ",t,v1=" + good,
                "t=" + now + ",t=x,v1=" + good,
                "t=x,t=" + now + ",v1=" + good,
                "t=,v1=" + good,
                "t=+" + now + ",v1=" + good,
                "t=0" + now + ",v1=" + good,
                "t=-" + now + ",v1=" + good,
                "t=0,v1=" + good,
                "t=99999999999999999999,v1=" + good,
                "t=" + (now - 301) + ",v1=" + stale,
                "t=" + (now - 301) + ",v1=" + good,
                "t=" + (now + 3600) + ",v1=" + later,
                "t=" + now + ",v1==" + good,
                "t=" + now + ",v1=" + good + ",",
                ",t=" + now + ",,v1=" + good,
                "t=" + now,
                "v1=" + good,
                "t=" + now + ",v1=",
                "",
                ",,,",
                "=,=",
                "t=" + now + ";v1=" + good,
                "t=" + now + ",v1=" + good + ",v2=whatever,foo,=bar"));
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            // The valid header, cut, doubled or with a character changed.
            String header = "t=" + now + ",v1=" + good;
            int at = random.nextInt(header.length());
            headers.add(switch (i % 3) {
                case 0 -> header.substring(0, at);
                case 1 -> header.substring(0, at) + "," + header.substring(at);
                default -> header.substring(0, at) + "=,t1v0x".charAt(random.nextInt(7)) + header.substring(at + 1);
            });
        }
        int accepted = 0;
        for (String header : headers) {
            boolean sdk;
            try {
                sdk = Webhook.Signature.verifyHeader(BODY, header, SECRET, Webhook.DEFAULT_TOLERANCE);
            } catch (Exception refused) {
                sdk = false;
            }
            String refusal = WebhookSignature.refusal(BODY.getBytes(StandardCharsets.UTF_8), header, SECRET,
                    Webhook.DEFAULT_TOLERANCE, System.currentTimeMillis() / 1000);
            assertThat(refusal == null).as("the store's verdict on %s (SDK: %s, store: %s)", header, sdk, refusal).isEqualTo(sdk);
            accepted += sdk ? 1 : 0;
        }
        assertThat(accepted).as("headers both accepted").isGreaterThanOrEqualTo(8);
    }

    @Test
    void aChangedBodyOrSecretIsRefused() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = "t=" + now + ",v1=" + Webhook.Util.computeHmacSha256(SECRET, now + "." + BODY);
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.refusal(body, header, SECRET, 300, now)).isNull();
        byte[] changed = body.clone();
        changed[changed.length - 3] ^= 1;
        assertThat(WebhookSignature.refusal(changed, header, SECRET, 300, now)).isEqualTo("no signature matches the body");
        assertThat(WebhookSignature.refusal(body, header, "whsec_other", 300, now)).isEqualTo("no signature matches the body");
        // The same thread checking with the first secret again still gets it right.
        assertThat(WebhookSignature.refusal(body, header, SECRET, 300, now)).isNull();
        assertThat(WebhookSignature.refusal(body, header, SECRET, 300, now + 301)).isEqualTo("the timestamp is outside the tolerance");
        assertThat(WebhookSignature.refusal(body, null, SECRET, 300, now)).isEqualTo("no Stripe-Signature header");
    }
}
