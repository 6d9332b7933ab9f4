package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * What an attacker can send the store: huge and endless bodies, forms far larger than any form of the shop, a forged
 * Host header, the error page asked for directly. Each gets a clear answer, and the store keeps answering everyone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsTest {

    private static final long HUNDRED_MEGABYTES = 100L * 1024 * 1024;

    @LocalServerPort
    int port;
    @Autowired
    StripeAccess stripe;

    @Test
    void threeHundredMegabyteWebhooksAtOnceAreRefusedWithoutBeingReadAndTheStoreKeepsAnswering() {
        List<CompletableFuture<String>> attacks = List.of(
                CompletableFuture.supplyAsync(() -> statusOfHugeBody("/stripe/webhook", "application/json")),
                CompletableFuture.supplyAsync(() -> statusOfHugeBody("/stripe/webhook", "application/json")),
                CompletableFuture.supplyAsync(() -> statusOfHugeBody("/stripe/webhook", "application/json")));

        attacks.forEach(attack -> assertThat(attack.join()).startsWith("HTTP/1.1 413"));
        assertThat(new HttpVisitor(base()).get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void forgedWebhooksAreEachRefusedButLoggedAtMostOnceAMinute(CapturedOutput output) throws Exception {
        int before = output.getOut().split("Refused a webhook with an invalid or stale signature", -1).length;
        for (int i = 0; i < 200; i++) {
            assertThat(probeWebhook().statusCode()).isEqualTo(400);
        }
        int logged = output.getOut().split("Refused a webhook with an invalid or stale signature", -1).length - before;
        assertThat(logged).as("log lines for 200 forged webhooks").isLessThanOrEqualTo(1);
    }

    @Test
    void webhookBodiesTricklingInFromACrowdGetABusyAnswerAndTheStoreKeepsAnswering() throws Exception {
        int slots = org.bookstore.store.payments.webhooks.StripeWebhookEndpoint.MAX_READING;
        List<Socket> crowd = new java.util.ArrayList<>();
        try {
            // One more slow body at a time until a delivery is turned away: a probe racing a newcomer may take its slot
            // for a moment (the newcomer is then answered 503 and leaves), so a few more than the slots may be needed.
            HttpResponse<String> busy = null;
            while (busy == null) {
                assertThat(crowd.size()).as("bodies read at once are capped").isLessThan(2 * slots);
                Socket socket = new Socket("localhost", port);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /stripe/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Stripe-Signature: t=1,v1=00\r\nContent-Length: 400000\r\n\r\n{\"id\":\"evt_").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                crowd.add(socket);
                HttpResponse<String> probe = probeWebhook();
                if (probe.statusCode() == 503) {
                    busy = probe;
                } else {
                    assertThat(probe.statusCode()).as("a probe with room to be read").isEqualTo(400);
                }
            }
            assertThat(crowd.size()).as("as many bodies as there are slots are read at once").isGreaterThanOrEqualTo(slots);
            assertThat(busy.body()).contains("busy");
            assertThat(busy.headers().firstValue("Retry-After")).isPresent();
            assertThat(new HttpVisitor(base()).get("/").statusCode()).as("pages are still served").isEqualTo(200);
        } finally {
            for (Socket socket : crowd) {
                socket.close();
            }
        }
        assertThat(awaitWebhookAnswer(400).body()).as("once the crowd is gone, deliveries are read again").contains("invalid signature");
    }

    @Test
    void aWebhookBodyTricklingInForLongerThanAnyDeliveryTakesIsCutOff() throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /stripe/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Stripe-Signature: t=1,v1=00\r\nContent-Length: 400000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // A byte every second or two, each well within the server's timeout for one read, until the store answers.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
            String answer = null;
            while (answer == null && System.nanoTime() < deadline) {
                out.write(' ');
                out.flush();
                try {
                    byte[] got = new byte[400];
                    int n = socket.getInputStream().read(got);
                    answer = n < 0 ? "EOF" : new String(got, 0, n, StandardCharsets.US_ASCII);
                } catch (java.net.SocketTimeoutException stillReading) {
                    Thread.sleep(500);
                }
            }
            assertThat(answer).startsWith("HTTP/1.1 408").contains("body too slow");
        }
    }

    /** Sends a small forged webhook until it is answered with {@code status}; fails after 60 s. */
    private HttpResponse<String> awaitWebhookAnswer(int status) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            HttpResponse<String> response = probeWebhook();
            if (response.statusCode() == status) {
                return response;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a webhook is still answered " + response.statusCode() + ", not " + status);
            }
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> probeWebhook() throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(base() + "/stripe/webhook"))
                .header("Content-Type", "application/json").header("Stripe-Signature", "t=1,v1=00")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"evt_probe\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aQueryThatIsNotValidTextIsABadRequestNotAServerError(CapturedOutput output) {
        for (String path : List.of("/search?q=%ff", "/?sort=%c3%28", "/search?q=code&page=%fe")) {
            HttpResponse<String> response = new HttpVisitor(base()).get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.body()).as(path).contains("data-testid=\"cart-count\"");
        }
        assertThat(output.getAll()).doesNotContain("ERROR").doesNotContain("MalformedInputException");
    }

    @Test
    void aWebhookBodyWithNoLengthIsCutOffAtTheLimit() throws Exception {
        byte[] twoMegabytes = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(twoMegabytes, (byte) 'a');
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/stripe/webhook"))
                .header("Content-Type", "application/json").header("Stripe-Signature", "t=1,v1=00")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(twoMegabytes))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("body too large");
    }

    @Test
    void aFormLargerThanAnyFormOfTheShopIsRefusedWithAClearPage() {
        String status = statusOfHugeBody("/cart/add", "application/x-www-form-urlencoded");
        assertThat(status).startsWith("HTTP/1.1 413");

        HttpVisitor buyer = new HttpVisitor(base());
        buyer.get("/books/refactoring");
        HttpResponse<String> tooLong = buyer.post("/cart/add", "bookId", "1", "quantity", "1", "padding", "x".repeat(100_000));
        assertThat(tooLong.statusCode()).isEqualTo(413);
        assertThat(tooLong.body()).contains("Bookstore").doesNotContain("Exception", "Whitelabel");
        assertThat(buyer.get("/cart").body()).as("nothing was added").contains("Your cart is empty");
    }

    @Test
    void aForgedHostHeaderNeverBecomesARedirect() throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /checkout HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 302").containsPattern("(?m)^Location: /login\\r?$").doesNotContain("evil.example");
        }
    }

    @Test
    void theErrorPageAskedForDirectlyIsAPageNotFoundInTheLayout() {
        HttpResponse<String> response = new HttpVisitor(base()).get("/error");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("Page not found", "Cart").doesNotContain("999", "Whitelabel");
    }

    @Test
    void theLocalStripeAnswersOnlyThisInstallsKeysAndOnlyTheStoresPagesInABrowser() throws Exception {
        String emulator = stripe.emulator().orElseThrow().baseUrl();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> strangersKey = client.send(HttpRequest.newBuilder(URI.create(emulator + "/v1/customers"))
                .header("Authorization", "Bearer sk_test_" + UUID.randomUUID().toString().replace("-", "")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(strangersKey.statusCode()).isEqualTo(401);

        HttpResponse<String> fromAnotherSite = client.send(HttpRequest.newBuilder(URI.create(emulator + "/v1/customers"))
                .header("Authorization", "Bearer " + stripe.emulator().orElseThrow().secretKey())
                .header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fromAnotherSite.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(stripe.emulator().orElseThrow().corsOrigins()).containsExactly("http://localhost:" + port);
    }

    /** Starts a request declaring a 100 MB body, sends a little of it, and returns the status line the store answers. */
    private String statusOfHugeBody(String path, String contentType) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                    + HUNDRED_MEGABYTES + "\r\nStripe-Signature: t=1,v1=00\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(new byte[64 * 1024]);
                out.flush();
            } catch (IOException closedEarly) {
                // The store may answer and close before reading this much: that is the point.
            }
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
