package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IdempotencyTest extends EmulatorTestBase {

    static RequestOptions key(String k) {
        return RequestOptions.builder().setIdempotencyKey(k).build();
    }

    @Test
    void sameKeySameParamsReplays() throws Exception {
        String k = UUID.randomUUID().toString();
        Customer a = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("i@example.com").build(),
                key(k));
        Customer b = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("i@example.com").build(),
                key(k));
        assertThat(b.getId()).isEqualTo(a.getId());
        assertThat(a.getLastResponse().headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(b.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        long events = emulator.eventsJson().stream().filter(e -> e.contains(a.getId())).count();
        assertThat(events).isEqualTo(1);
    }

    @Test
    void sameKeyOtherParamsIsAnIdempotencyError() throws Exception {
        String k = UUID.randomUUID().toString();
        stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("x@example.com").build(), key(k));
        assertThatThrownBy(() -> stripe.v1().customers().create(CustomerCreateParams.builder()
                .setEmail("y@example.com").build(), key(k)))
                .isInstanceOfSatisfying(IdempotencyException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getStripeError().getType()).isEqualTo("idempotency_error");
                });
    }

    @Test
    void errorsAreReplayedToo() throws Exception {
        String k = UUID.randomUUID().toString();
        PaymentIntentCreateParams tooSmall = PaymentIntentCreateParams.builder().setAmount(10L).setCurrency("usd")
                .build();
        assertThatThrownBy(() -> stripe.v1().paymentIntents().create(tooSmall, key(k)))
                .isInstanceOf(InvalidRequestException.class);
        HttpResponse<String> raw = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                + "/v1/payment_intents")).header("Authorization", "Bearer sk_test_123")
                .header("Idempotency-Key", k).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("amount=10&currency=usd")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(raw.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(raw.body()).contains("amount_too_small");
    }

    @Test
    void keysAreScopedPerSecretKey() throws Exception {
        String k = UUID.randomUUID().toString();
        Customer a = stripe.v1().customers().create(CustomerCreateParams.builder().build(), key(k));
        Customer b = client("sk_test_another").v1().customers().create(CustomerCreateParams.builder().build(),
                key(k));
        assertThat(b.getId()).isNotEqualTo(a.getId());
    }

    @Test
    void concurrentDuplicateWaitsForTheFirst() throws Exception {
        String k = UUID.randomUUID().toString();
        emulator.stallNext("POST", "/v1/customers", 1, 1000);
        CompletableFuture<Customer> first = CompletableFuture.supplyAsync(() -> create(stripe, k));
        await("first in flight", () -> emulator.api().inFlight() > 0);
        Customer second = create(stripe, k);
        assertThat(first.get().getId()).isEqualTo(second.getId());
        assertThat(second.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void concurrentDuplicateGets409WhenTheFirstTakesTooLong() throws Exception {
        try (StripeEmulator em = StripeEmulator.builder().idempotencyWait(Duration.ofMillis(50)).start()) {
            StripeClient c = StripeClient.builder().setApiKey("sk_test_1").setApiBase(em.baseUrl()).build();
            String k = UUID.randomUUID().toString();
            em.stallNext("POST", "/v1/customers", 1, 3000);
            CompletableFuture<Customer> first = CompletableFuture.supplyAsync(() -> create(c, k));
            await("first in flight", () -> em.api().inFlight() > 0);
            assertThatThrownBy(() -> c.v1().customers().create(CustomerCreateParams.builder().build(), key(k)))
                    .isInstanceOfSatisfying(StripeException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(409);
                        assertThat(e.getCode()).isEqualTo("idempotency_key_in_use");
                    });
            assertThat(first.get().getId()).startsWith("cus_");
        }
    }

    @Test
    void clientTimeoutThenRetryGetsTheOriginalResult() throws Exception {
        StripeClient impatient = StripeClient.builder().setApiKey("sk_test_123").setApiBase(emulator.baseUrl())
                .setReadTimeout(300).setMaxNetworkRetries(2).build();
        emulator.hangNext("POST", "/v1/customers", 1, 1000);
        String email = "timeout-" + UUID.randomUUID() + "@example.com";
        Customer c = impatient.v1().customers().create(CustomerCreateParams.builder().setEmail(email).build());
        assertThat(c.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(emulator.objectsJson("customer").stream().filter(s -> s.contains(email)).count()).isEqualTo(1);
    }

    private static Customer create(StripeClient c, String k) {
        try {
            return c.v1().customers().create(CustomerCreateParams.builder().build(), key(k));
        } catch (StripeException e) {
            throw new IllegalStateException(e);
        }
    }
}
