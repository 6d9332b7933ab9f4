package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.model.PaymentIntent;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Browsers may read only what Stripe.js asks for with a publishable key, from the allowed origins: never what a
 * secret key can see, so a page on another site cannot read customers through a buyer's browser.
 */
class CrossOriginTest {
    static final String SHOP = "https://shop.example";
    static final String EVIL = "https://evil.example";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> call(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder get(StripeEmulator em, String path, String key, String origin) {
        return HttpRequest.newBuilder(URI.create(em.baseUrl() + path)).header("Authorization", "Bearer " + key)
                .header("Origin", origin).GET();
    }

    static HttpRequest.Builder preflight(StripeEmulator em, String path, String origin, String method) {
        return HttpRequest.newBuilder(URI.create(em.baseUrl() + path)).header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
    }

    static PaymentIntent intent(StripeEmulator em) throws Exception {
        return StripeClient.builder().setApiKey(em.secretKey()).setApiBase(em.baseUrl()).build().v1()
                .paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(1999L).setCurrency("usd")
                        .build());
    }

    static String retrievePath(PaymentIntent pi) {
        return "/v1/payment_intents/" + pi.getId() + "?client_secret="
                + URLEncoder.encode(pi.getClientSecret(), StandardCharsets.UTF_8);
    }

    static String allowOrigin(HttpResponse<?> r) {
        return r.headers().firstValue("Access-Control-Allow-Origin").orElse(null);
    }

    @Test
    void onlyStripeJsRequestsFromTheShopGetCorsHeaders() throws Exception {
        try (StripeEmulator em = StripeEmulator.builder().corsOrigins(List.of(SHOP + "/")).start()) {
            StripeClient.builder().setApiKey(em.secretKey()).setApiBase(em.baseUrl()).build().v1().customers()
                    .create(CustomerCreateParams.builder().setEmail("buyer@example.com").build());
            PaymentIntent pi = intent(em);

            HttpResponse<String> secret = call(get(em, "/v1/customers", em.secretKey(), SHOP));
            assertThat(secret.statusCode()).isEqualTo(200);
            assertThat(allowOrigin(secret)).isNull();

            HttpResponse<String> fromShop = call(get(em, retrievePath(pi), em.publishableKey(), SHOP));
            assertThat(fromShop.statusCode()).isEqualTo(200);
            assertThat(allowOrigin(fromShop)).isEqualTo(SHOP);
            assertThat(fromShop.headers().firstValue("Vary")).hasValue("Origin");

            HttpResponse<String> fromElsewhere = call(get(em, retrievePath(pi), em.publishableKey(), EVIL));
            assertThat(allowOrigin(fromElsewhere)).isNull();
        }
    }

    @Test
    void preflightsAreAnsweredOnlyForStripeJsFromTheShop() throws Exception {
        try (StripeEmulator em = StripeEmulator.builder().corsOrigins(List.of(SHOP)).start()) {
            PaymentIntent pi = intent(em);
            String confirm = "/v1/payment_intents/" + pi.getId() + "/confirm";

            HttpResponse<String> ok = call(preflight(em, confirm, SHOP, "POST"));
            assertThat(ok.statusCode()).isEqualTo(204);
            assertThat(allowOrigin(ok)).isEqualTo(SHOP);
            assertThat(ok.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
                    .contains("Authorization");

            HttpResponse<String> evil = call(preflight(em, confirm, EVIL, "POST"));
            assertThat(evil.statusCode()).isEqualTo(403);
            assertThat(allowOrigin(evil)).isNull();

            for (String path : new String[] {"/v1/customers", "/v1/payment_intents", "/v1/webhook_endpoints"}) {
                HttpResponse<String> secretOnly = call(preflight(em, path, SHOP, "GET"));
                assertThat(allowOrigin(secretOnly)).isNull();
                assertThat(secretOnly.statusCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void withoutConfiguredOriginsStripeJsWorksEverywhereButSecretKeysNowhere() throws Exception {
        try (StripeEmulator em = StripeEmulator.builder().start()) {
            PaymentIntent pi = intent(em);

            assertThat(allowOrigin(call(get(em, retrievePath(pi), em.publishableKey(), EVIL)))).isEqualTo(EVIL);
            assertThat(allowOrigin(call(preflight(em, "/v1/payment_intents/" + pi.getId(), EVIL, "GET"))))
                    .isEqualTo(EVIL);
            assertThat(allowOrigin(call(get(em, retrievePath(pi), em.secretKey(), EVIL)))).isNull();
            assertThat(allowOrigin(call(get(em, "/v1/customers", em.secretKey(), EVIL)))).isNull();
        }
    }

    @Test
    void theControlApiRefusesPagesOnOtherOrigins() throws Exception {
        try (StripeEmulator em = StripeEmulator.builder().controlApi(true).start()) {
            StripeClient.builder().setApiKey(em.secretKey()).setApiBase(em.baseUrl()).build().v1().customers()
                    .create(CustomerCreateParams.builder().build());
            HttpRequest.Builder reset = HttpRequest.newBuilder(URI.create(em.baseUrl() + "/_emulator/reset"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.noBody());

            // what a form on another site, submitted in the developer's browser, sends
            assertThat(call(reset.copy().header("Origin", EVIL)).statusCode()).isEqualTo(403);
            assertThat(em.objectsJson("customer")).hasSize(1);

            assertThat(call(reset).statusCode()).isEqualTo(200);
            assertThat(em.objectsJson("customer")).isEmpty();
        }
    }

    @Test
    void theCommandLineTakesCorsOrigins() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StripeEmulator em = Main.run(new String[] {"--port", "0", "--cors-origin", SHOP + ",http://localhost:8080"},
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(em.corsOrigins()).containsExactly(SHOP, "http://localhost:8080");
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Stripe.js may be used from " + SHOP);
            PaymentIntent pi = intent(em);
            assertThat(allowOrigin(call(get(em, retrievePath(pi), em.publishableKey(), EVIL)))).isNull();
        }
        assertThatThrownBy(() -> Main.run(new String[] {"--port", "0", "--cors-origin", "shop.example/path"},
                System.out)).isInstanceOf(IllegalArgumentException.class);
    }
}
