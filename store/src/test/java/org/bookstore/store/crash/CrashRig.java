package org.bookstore.store.crash;

import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bookstore.emulator.StripeEmulator;
import org.bookstore.store.support.HttpVisitor;
import org.bookstore.store.support.StoreProcess;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A store process on the default embedded database and a Stripe that outlives it: the emulator runs in the test's
 * own JVM, as Stripe runs elsewhere, so payments, sessions and webhooks survive the store being killed. Webhooks
 * are retried quickly, events the store kept are taken again two seconds after they arrived or failed, and the store
 * reconciles every two seconds, so recovery is not waiting on Stripe's schedule.
 */
final class CrashRig implements AutoCloseable {

    static final String PASSWORD = "correct horse battery";
    static final String VISA = "4242 4242 4242 4242";
    private static final String WEBHOOK_SECRET = "whsec_crash_rig";

    final StripeEmulator stripe;
    private final Path data;
    private final int port;
    private StoreProcess store;

    private final Map<String, String> extraSettings;
    private final List<String> jvmOptions;

    CrashRig(Path data) {
        this(data, Map.of());
    }

    /** With {@code extraSettings} ({@code name=value}) added to the store's on every start. */
    CrashRig(Path data, Map<String, String> extraSettings) {
        this(data, extraSettings, List.of());
    }

    /** With {@code extraSettings} and options for the store's JVM ({@code jvmOptions}) on every start. */
    CrashRig(Path data, Map<String, String> extraSettings, List<String> jvmOptions) {
        this.data = data;
        this.extraSettings = Map.copyOf(extraSettings);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.port = StoreProcess.freePort();
        this.stripe = StripeEmulator.builder().port(0).controlApi(true).timeScale(0.01).webhookMaxAttempts(8)
                .secretKey("sk_test_crash_rig").publishableKey("pk_test_crash_rig").start();
        stripe.addWebhookEndpointWithSecret("http://localhost:" + port + "/stripe/webhook", WEBHOOK_SECRET, "*");
        start();
    }

    void start() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bookstore.stripe.secret-key", "sk_test_crash_rig");
        settings.put("bookstore.stripe.publishable-key", "pk_test_crash_rig");
        settings.put("bookstore.stripe.webhook-secret", WEBHOOK_SECRET);
        settings.put("bookstore.stripe.api-base", stripe.baseUrl());
        settings.put("bookstore.stripe.read-timeout", "10s");
        settings.put("bookstore.payments.reconcile-every", "PT2S");
        settings.put("bookstore.payments.reconcile-first-after", "PT2S");
        settings.put("bookstore.payments.unanswered-after", "PT2S");
        settings.put("bookstore.payments.quiet-after", "PT5S");
        settings.put("bookstore.payments.webhook-retry-after", "PT2S");
        settings.put("bookstore.payments.webhook-sweep-every", "PT1S");
        settings.putAll(extraSettings);
        store = StoreProcess.start(data, port, settings, jvmOptions);
    }

    void kill() {
        store.kill();
    }

    /** Stops the store (killed: there is no other way it ever stops here), so its database can be read. */
    void stop() {
        if (store != null && store.alive()) {
            store.kill();
        }
    }

    void restart() {
        kill();
        start();
    }

    String baseUrl() {
        return store.baseUrl();
    }

    String log() {
        return store.log();
    }

    /** A new buyer, registered and logged in, with {@code copies} of "Refactoring" ($47.00 each) in their cart. */
    HttpVisitor buyerWithCart(int copies) {
        HttpVisitor buyer = new HttpVisitor(baseUrl());
        buyer.register("Crash Buyer", "crash-" + UUID.randomUUID() + "@example.com", PASSWORD);
        addToCart(buyer, "refactoring", copies);
        return buyer;
    }

    void addToCart(HttpVisitor buyer, String slug, int copies) {
        buyer.get("/books/" + slug);
        Matcher id = Pattern.compile("name=\"bookId\" value=\"(\\d+)\"").matcher(buyer.lastPage());
        if (!id.find()) {
            throw new AssertionError("No add-to-cart form on " + slug);
        }
        buyer.post("/cart/add", "bookId", id.group(1), "quantity", Integer.toString(copies));
    }

    /** The buyer on another instance of the store (after a restart): same cookies. */
    HttpVisitor again(HttpVisitor buyer) {
        return buyer.on(baseUrl());
    }

    /** Pays a session on Stripe's hosted page, as the buyer would, and does not come back to the shop. */
    HttpResponse<String> payOnHostedPage(HttpVisitor buyer, String sessionId, String card) {
        return buyer.submitTo(stripe.baseUrl() + "/c/pay/" + sessionId, false, "email", "crash@example.com", "card_number", card,
                "expiry", "12 / 34", "cvc", "123", "name", "Crash Buyer");
    }

    /** Checkout Sessions Stripe holds for the order. */
    List<String> sessionsOf(long orderId) {
        return stripe.objectsJson("checkout.session").stream()
                .filter(json -> json.contains("\"client_reference_id\":\"" + orderId + "\""))
                .map(json -> field(json, "id")).toList();
    }

    /** Every PaymentIntent that succeeded at Stripe, with the amount received. */
    Map<String, Long> succeededAtStripe() {
        Map<String, Long> succeeded = new LinkedHashMap<>();
        for (String json : stripe.objectsJson("payment_intent")) {
            if (json.contains("\"status\":\"succeeded\"")) {
                Matcher received = Pattern.compile("\"amount_received\":(\\d+)").matcher(json);
                succeeded.put(field(json, "id"), received.find() ? Long.parseLong(received.group(1)) : -1);
            }
        }
        return succeeded;
    }

    /** The store's database, read directly: only while the store is stopped (the embedded database has one owner). */
    JdbcClient database() {
        JdbcDataSource source = new JdbcDataSource();
        source.setURL("jdbc:h2:file:" + data.resolve("bookstore") + ";WRITE_DELAY=0");
        source.setUser("sa");
        source.setPassword("");
        return JdbcClient.create(source);
    }

    static long orderId(String page) {
        Matcher order = Pattern.compile("Order #(\\d+)").matcher(page);
        if (!order.find()) {
            throw new AssertionError("No order number on the page");
        }
        return Long.parseLong(order.group(1));
    }

    static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!value.find()) {
            throw new AssertionError("No " + name + " in " + json);
        }
        return value.group(1);
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
        stripe.stop();
    }
}
