package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Customer;
import com.stripe.model.PaymentIntent;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.CustomerSearchParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a client sends never stops the emulator answering: oversized bodies, deep nesting, long strings, deep
 * expansions and crashes inside a handler each get an answer, and the next stripe-java call still works.
 */
class HostileInputTest extends EmulatorTestBase {

    @AfterEach
    void stillServesStripeJava() throws Exception {
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("next@example.com")
                .build());
        assertThat(stripe.v1().customers().retrieve(c.getId()).getEmail()).isEqualTo("next@example.com");
        assertThat(stripe.v1().customers().list(CustomerListParams.builder().setLimit(100L).build()).getData())
                .isNotEmpty();
    }

    /** A raw request with a deadline: without an answer the test fails instead of waiting for ever. */
    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer sk_test_123")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder postForm(String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    static JsonNode error(HttpResponse<String> r) {
        return Json.read(r.body()).path("error");
    }

    @Test
    void aFiftyMegabyteBodyIsRefusedAndNothingIsStored() throws Exception {
        byte[] body = new byte[50 * 1024 * 1024];
        Arrays.fill(body, (byte) 'x');
        byte[] prefix = "description=".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, body, 0, prefix.length);

        HttpResponse<String> r = send(postForm("/v1/customers", body));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r).path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error(r).path("message").asText()).contains("at most 1048576 bytes");
        assertThat(emulator.objectsJson("customer")).noneMatch(c -> c.length() > 100_000);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedToo() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024];
        Arrays.fill(body, (byte) 'y');
        System.arraycopy("name=".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 5);
        // from an InputStream, the client sends no Content-Length: the body arrives chunked
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v1/customers"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void twentyThousandNestedBracketsGetA400() throws Exception {
        String key = "metadata" + "[a]".repeat(20_000);

        HttpResponse<String> r = send(postForm("/v1/customers", (key + "=v").getBytes(StandardCharsets.US_ASCII)));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error(r).path("message").asText()).contains("nested at most 8 levels deep");
    }

    @Test
    void nineLevelsAreTooManyButEightAreParsed() throws Exception {
        HttpResponse<String> nine = send(postForm("/v1/customers",
                ("metadata" + "[a]".repeat(9) + "=v").getBytes(StandardCharsets.US_ASCII)));
        HttpResponse<String> eight = send(postForm("/v1/customers",
                ("metadata" + "[a]".repeat(8) + "=v").getBytes(StandardCharsets.US_ASCII)));

        assertThat(error(nine).path("message").asText()).contains("nested at most 8 levels deep");
        // eight levels are parsed; metadata values must be strings, so this one is refused for that
        assertThat(eight.statusCode()).isEqualTo(400);
        assertThat(error(eight).path("message").asText()).doesNotContain("nested");
    }

    @Test
    void aCustomerDescriptionIsLimitedTo350CharactersAsAtStripe() throws Exception {
        String description = "d".repeat(340) + "0123456789X";
        assertThatThrownBy(() -> stripe.v1().customers().create(CustomerCreateParams.builder()
                .setDescription(description).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getStripeError().getType()).isEqualTo("invalid_request_error");
                    assertThat(e.getParam()).isEqualTo("description");
                    assertThat(e.getStripeError().getMessage()).isEqualTo(
                            "Invalid string: dddddddddd...123456789X; must be at most 350 characters");
                });
        Customer ok = stripe.v1().customers().create(CustomerCreateParams.builder()
                .setDescription("d".repeat(350)).build());
        assertThat(ok.getDescription()).hasSize(350);
    }

    @Test
    void otherStringsAreLimitedTo5000Characters() {
        assertThatThrownBy(() -> stripe.v1().customers().create(CustomerCreateParams.builder()
                .setName("n".repeat(5001)).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getParam()).isEqualTo("name");
                    assertThat(e.getStripeError().getMessage()).endsWith("; must be at most 5000 characters");
                });
    }

    @Test
    void metadataLimitsSayWhatStripeSays() throws Exception {
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().build());
        String longKey = "k".repeat(41);
        assertThatThrownBy(() -> stripe.v1().customers().update(c.getId(), CustomerUpdateParams.builder()
                .putMetadata(longKey, "v").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getStripeError().getMessage())
                        .isEqualTo("Metadata keys can have up to 40 characters, but you passed in a key that is 41 "
                                + "characters. Invalid key: " + longKey));
        assertThatThrownBy(() -> stripe.v1().customers().update(c.getId(), CustomerUpdateParams.builder()
                .putMetadata("k", "v".repeat(501)).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getStripeError().getMessage())
                        .startsWith("Metadata values can have up to 500 characters, but you passed in a value that "
                                + "is 501 characters."));
        CustomerUpdateParams.Builder many = CustomerUpdateParams.builder();
        for (int i = 0; i < 51; i++) {
            many.putMetadata("k" + i, "v");
        }
        assertThatThrownBy(() -> stripe.v1().customers().update(c.getId(), many.build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getParam()).isEqualTo("metadata");
                    assertThat(e.getStripeError().getMessage()).startsWith(
                            "Metadata can have up to 50 keys, but you've set 51.");
                });
    }

    @Test
    void expandingMoreThanFourLevelsIsRefusedAsAtStripe() throws Exception {
        String piId = RefundDisputeEventTestSupport.pay(stripe);
        PaymentIntent four = stripe.v1().paymentIntents().retrieve(piId, PaymentIntentRetrieveParams.builder()
                .addExpand("latest_charge.payment_intent.latest_charge.payment_intent").build());
        assertThat(four.getLatestChargeObject().getPaymentIntentObject().getId()).isEqualTo(piId);

        String five = "latest_charge.payment_intent.latest_charge.payment_intent.latest_charge";
        assertThatThrownBy(() -> stripe.v1().paymentIntents().retrieve(piId, PaymentIntentRetrieveParams.builder()
                .addExpand(five).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("property_expansion_max_depth");
                    assertThat(e.getStripeError().getMessage()).isEqualTo(
                            "You cannot expand more than 4 levels of a property. Property: " + five);
                });
    }

    @Test
    void aSearchForALongValueIsAnswered() throws Exception {
        // a quoted value of a few thousand characters overflowed the regular expression's stack
        var found = stripe.v1().customers().search(CustomerSearchParams.builder()
                .setQuery("email:'" + "a".repeat(3000) + "'").build());
        assertThat(found.getData()).isEmpty();
    }

    @Test
    void aCrashInsideAHandlerIsA500ForThatRequestOnly() throws Exception {
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().build());
        // an object too deep to copy: reading it overflows the stack, as any failure inside the engine might
        ObjectNode deep = Json.obj();
        ObjectNode inner = deep;
        for (int i = 0; i < 200_000; i++) {
            inner = inner.putObject("inner");
        }
        emulator.engine().locked(() -> emulator.engine().find(c.getId()).set("shipping", deep));
        try {
            HttpResponse<String> read = send(HttpRequest.newBuilder(
                    URI.create(emulator.baseUrl() + "/v1/customers/" + c.getId())).GET());
            assertThat(read.statusCode()).isEqualTo(500);
            assertThat(error(read).path("type").asText()).isEqualTo("api_error");

            // with an idempotency key the failure is kept as the key's answer, not left in flight for ever
            HttpRequest.Builder update = postForm("/v1/customers/" + c.getId(),
                    "name=x".getBytes(StandardCharsets.US_ASCII)).header("Idempotency-Key", "crash-" + c.getId());
            assertThat(send(update).statusCode()).isEqualTo(500);
            HttpResponse<String> again = send(postForm("/v1/customers/" + c.getId(),
                    "name=x".getBytes(StandardCharsets.US_ASCII)).header("Idempotency-Key", "crash-" + c.getId()));
            assertThat(again.statusCode()).isEqualTo(500);
            assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        } finally {
            emulator.engine().locked(() -> emulator.engine().find(c.getId()).putNull("shipping"));
        }
        assertThat(stripe.v1().customers().retrieve(c.getId()).getId()).isEqualTo(c.getId());
    }
}
