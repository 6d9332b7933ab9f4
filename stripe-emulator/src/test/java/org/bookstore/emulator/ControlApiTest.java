package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.ApiException;
import com.stripe.exception.RateLimitException;
import com.stripe.model.Customer;
import com.stripe.model.checkout.Session;
import com.stripe.param.CustomerCreateParams;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ControlApiTest extends EmulatorTestBase {

    @Test
    void failNextWith500And503() throws Exception {
        emulator.failNext("POST", "/v1/customers", 1, 500);
        assertThatThrownBy(() -> stripe.v1().customers().create(CustomerCreateParams.builder().build()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getStatusCode()).isEqualTo(500));
        // the next call goes through
        assertThat(stripe.v1().customers().create(CustomerCreateParams.builder().build()).getId()).startsWith("cus_");

        StripeClient retrying = StripeClient.builder().setApiKey("sk_test_123").setApiBase(emulator.baseUrl())
                .setMaxNetworkRetries(2).build();
        emulator.failNext("POST", "/v1/customers", 2, 503);
        Customer c = retrying.v1().customers().create(CustomerCreateParams.builder().build());
        assertThat(c.getId()).startsWith("cus_");

        emulator.failNext(null, "/v1/customers", 1, 503);
        HttpResponse<String> raw = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v1/customers"))
                .header("Authorization", "Bearer sk_test_1").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(503);
        assertThat(raw.headers().firstValue("Stripe-Should-Retry")).hasValue("true");
        assertThat(Json.read(raw.body()).path("error").path("type").asText()).isEqualTo("api_error");
    }

    @Test
    void rateLimited() throws Exception {
        emulator.failNext("GET", "/v1/customers", 1, 429);
        assertThatThrownBy(() -> stripe.v1().customers().list())
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(429);
                    assertThat(e.getCode()).isEqualTo("rate_limit");
                });
        assertThat(stripe.v1().customers().list().getObject()).isEqualTo("list");
    }

    @Test
    void controlOverHttp() throws Exception {
        HttpResponse<String> r = post("/_emulator/faults", "method=GET&path=/v1/products&count=1&status=500");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.read(get("/_emulator/faults").body()).path("data")).hasSize(1);
        assertThatThrownBy(() -> stripe.v1().products().list()).isInstanceOf(ApiException.class);
        assertThat(stripe.v1().products().list().getObject()).isEqualTo("list");

        Session s = stripe.v1().checkout().sessions().create(CheckoutSessionTest.params().build());
        JsonNode clock = Json.read(post("/_emulator/clock/advance", "seconds=90000").body());
        assertThat(clock.path("offset_seconds").asLong()).isGreaterThanOrEqualTo(90000);
        assertThat(stripe.v1().checkout().sessions().retrieve(s.getId()).getStatus()).isEqualTo("expired");

        JsonNode we = Json.read(post("/_emulator/webhooks/endpoints", "url=http://127.0.0.1:9/none").body());
        assertThat(we.path("secret").asText()).startsWith("whsec_");
        for (String path : new String[] {"duplicate", "reorder", "delay", "hold", "corrupt"}) {
            assertThat(post("/_emulator/webhooks/" + path, "count=1&ms=5").statusCode()).as(path).isEqualTo(200);
        }
        assertThat(Json.read(post("/_emulator/webhooks/release", "reverse=true").body()).path("ok").asBoolean())
                .isTrue();
        assertThat(get("/_emulator/state").statusCode()).isEqualTo(200);
        assertThat(post("/_emulator/nope", "").statusCode()).isEqualTo(404);

        assertThat(post("/_emulator/reset", "").statusCode()).isEqualTo(200);
        assertThat(stripe.v1().checkout().sessions().list().getData()).isEmpty();
        assertThat(emulator.now()).isLessThan(s.getCreated() + 1000);
    }

    @Test
    void disabledControlApiIs404() throws Exception {
        try (StripeEmulator plain = StripeEmulator.builder().start()) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(plain.baseUrl() + "/_emulator/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("Request-Id")).isPresent();
        }
    }

    @Test
    void unknownEndpointIs404InvalidRequest() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v1/nothing"))
                .header("Authorization", "Bearer sk_test_1").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("Unrecognized request URL");
    }

    @Test
    void staticFilesAndRequestLog() throws Exception {
        HttpResponse<String> js = get("/probe/");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/javascript");
        assertThat(js.body()).contains("probe");
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (StripeEmulator logged = StripeEmulator.builder().requestLog(lines::add).start()) {
            HTTP.send(HttpRequest.newBuilder(URI.create(logged.baseUrl() + "/v1/customers")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            await("log line", () -> !lines.isEmpty());
            assertThat(lines.get(0)).startsWith("GET /v1/customers 401 ");
        }
    }

    @Test
    void droppedConnectionIsANetworkError() throws Exception {
        emulator.dropNext("POST", "/v1/customers", 1);
        assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v1/customers"))
                .header("Authorization", "Bearer sk_test_1").POST(HttpRequest.BodyPublishers.ofString("")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        // stripe-java's HttpURLConnection silently resends a POST once; two drops reach the caller
        emulator.dropNext("POST", "/v1/customers", 2);
        assertThatThrownBy(() -> stripe.v1().customers().create(CustomerCreateParams.builder().build()))
                .isInstanceOf(com.stripe.exception.ApiConnectionException.class);
        emulator.clearFaults();
        StripeClient retrying = StripeClient.builder().setApiKey("sk_test_123").setApiBase(emulator.baseUrl())
                .setMaxNetworkRetries(2).build();
        emulator.dropNext("POST", "/v1/customers", 1);
        assertThat(retrying.v1().customers().create(CustomerCreateParams.builder().build()).getId())
                .startsWith("cus_");
        assertThat(post("/_emulator/faults", "path=/v1/prices&drop=true&count=2").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> stripe.v1().prices().list())
                .isInstanceOf(com.stripe.exception.ApiConnectionException.class);
        emulator.clearFaults();
    }
}
