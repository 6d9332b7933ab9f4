package org.bookstore.emulator;

import com.stripe.StripeClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One emulator per test class, with fast webhook retries and the control API on. */
abstract class EmulatorTestBase {
    static StripeEmulator emulator;
    static StripeClient stripe;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void startEmulator() {
        emulator = StripeEmulator.builder().port(0).controlApi(true).timeScale(0.001)
                .webhookTimeout(Duration.ofSeconds(2)).start();
        stripe = client("sk_test_123");
    }

    @AfterAll
    static void stopEmulator() {
        emulator.stop();
    }

    static StripeClient client(String key) {
        return StripeClient.builder().setApiKey(key).setApiBase(emulator.baseUrl()).build();
    }

    static HttpResponse<String> get(String pathOrUrl) throws Exception {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : emulator.baseUrl() + pathOrUrl;
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String pathOrUrl, String form) throws Exception {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : emulator.baseUrl() + pathOrUrl;
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until the condition holds or 10 seconds pass. */
    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
