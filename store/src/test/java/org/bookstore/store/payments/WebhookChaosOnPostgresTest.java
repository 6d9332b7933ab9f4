package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import com.stripe.exception.CardException;
import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentConfirmParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bookstore.emulator.StripeEmulator;
import org.bookstore.store.payments.checkout.Reconciliation;
import org.bookstore.store.support.HttpVisitor;
import org.bookstore.store.support.OnPostgres;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A thousand orders paid on the store's page by forty buyers at once, on PostgreSQL, while Stripe's webhooks arrive
 * as badly as Stripe may send them: every event twice and again under another id, batches reversed, some late,
 * some held and released backwards, some with a broken signature (and retried), and, among them, forged events and
 * real events replayed with a stale signature. Over ten thousand deliveries later, every order is in exactly the
 * state Stripe's own records say it must be in.
 */
@OnPostgres
@TestPropertySource(properties = {"bookstore.checkout.ui=embedded", "bookstore.stripe.emulator.webhook-time-scale=0.001",
        "bookstore.stripe.read-timeout=30s", "bookstore.payments.reconcile-every=PT1H", "bookstore.payments.reconcile-first-after=PT1H",
        "spring.datasource.hikari.maximum-pool-size=20"})
class WebhookChaosOnPostgresTest extends CheckoutScenarios {

    private static final Logger log = LoggerFactory.getLogger(WebhookChaosOnPostgresTest.class);
    private static final int ORDERS = 1_000;
    private static final int BUYERS = 40;
    private static final Pattern DATA = Pattern.compile("data-([a-z-]+)=\"([^\"]*)\"");
    private static final List<String> BOOKS = List.of("refactoring", "working-in-public", "art-of-doing-science-and-engineering",
            "making-of-prince-of-persia");

    enum Outcome { PAY, DECLINE_THEN_PAY, DECLINE_ONLY, AUTHENTICATE, ABANDON }

    @Autowired
    Reconciliation reconciliation;

    private final Map<String, Long> bookIds = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger notRefused = new AtomicInteger();

    @Test
    void tenThousandChaoticWebhooksOverAThousandOrdersEndWithNoWrongState() throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        log.info("Webhook chaos seed {} (rerun with -Dchaos.seed={})", seed, seed);
        jdbc.sql("UPDATE books SET stock = 1000000").update();
        Map<String, Integer> stockBefore = stock();
        BOOKS.forEach(slug -> bookIds.put(slug, bookId(slug)));
        List<HttpVisitor> buyers = new ArrayList<>();
        for (int i = 0; i < BUYERS; i++) {
            HttpVisitor buyer = new HttpVisitor("http://localhost:" + port).withFreshConnections();
            buyer.register("Chaos Buyer " + i, "chaos-" + i + "-" + seed + "@example.com", "correct horse battery");
            buyers.add(buyer);
        }

        emulator().duplicateNextEvents(Integer.MAX_VALUE);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        Future<?> conductor = pool.submit(() -> conduct(running, new Random(seed + 1)));
        Future<?> forger = pool.submit(() -> forge(running, new Random(seed + 2)));
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> payers = new ArrayList<>();
        for (int worker = 0; worker < 4; worker++) {
            int first = worker;
            payers.add(pool.submit(() -> {
                Random random = new Random(seed + 10 + first);
                for (int order = next.getAndIncrement(); order < ORDERS; order = next.getAndIncrement()) {
                    HttpVisitor buyer = buyers.get(order % BUYERS);
                    synchronized (buyer) {
                        buy(buyer, Outcome.values()[pick(random)], random);
                    }
                }
                return null;
            }));
        }
        for (Future<?> payer : payers) {
            payer.get();
        }
        running.set(false);
        conductor.get();
        forger.get();
        pool.shutdown();
        emulator().duplicateNextEvents(0);
        emulator().releaseEvents(false);

        eventually("every event Stripe sent has been accepted once", this::everyEventAccepted);
        // Payments left unfinished are cancelled after the checkout time, a batch at a time.
        while (reconciliation.reconcile(Instant.now().plus(Duration.ofHours(2))).closed() > 0) {
            eventually("every event Stripe sent has been accepted once", this::everyEventAccepted);
        }
        eventually("every event Stripe sent has been accepted once", this::everyEventAccepted);

        int deliveries = emulator().deliveryAttempts().size() + refused.get() + notRefused.get();
        log.info("Webhook chaos: {} orders, {} deliveries from Stripe, {} forged or stale deliveries refused",
                ORDERS, emulator().deliveryAttempts().size(), refused.get());
        assertThat(notRefused.get()).as("forged and stale deliveries accepted").isZero();
        assertThat(deliveries).isGreaterThanOrEqualTo(10_000);
        assertThat(wrongStates(stockBefore)).as("orders in a state Stripe's records contradict").isEmpty();
    }

    private static int pick(Random random) {
        int roll = random.nextInt(100);
        return roll < 65 ? 0 : roll < 77 ? 1 : roll < 87 ? 2 : roll < 95 ? 3 : 4;
    }

    private void buy(HttpVisitor buyer, Outcome outcome, Random random) {
        String slug = BOOKS.get(random.nextInt(BOOKS.size()));
        buyer.get("/books/" + slug);
        HttpResponse<String> added = buyer.post("/cart/add", "bookId", Long.toString(bookIds.get(slug)),
                "quantity", Integer.toString(1 + random.nextInt(3)));
        assertThat(added.body()).as(() -> "adding to the cart: " + alert(added.body())).contains("to your cart.");
        String page = buyer.get("/checkout").body();
        HttpResponse<String> intent = buyer.postFrom(page, "/checkout/payment-intent", "orderId", attribute(page, "order-id"),
                "cartDigest", attribute(page, "cart-digest"));
        assertThat(intent.statusCode()).as(intent.body()).isEqualTo(200);
        Matcher secret = Pattern.compile("\"clientSecret\":\"([^\"]+)\"").matcher(intent.body());
        assertThat(secret.find()).isTrue();
        String clientSecret = secret.group(1);
        String id = clientSecret.substring(0, clientSecret.indexOf("_secret_"));
        try {
            switch (outcome) {
                case PAY -> confirm(id, "pm_card_visa");
                case DECLINE_THEN_PAY -> {
                    declined(id);
                    confirm(id, "pm_card_visa");
                }
                case DECLINE_ONLY -> declined(id);
                case AUTHENTICATE -> {
                    PaymentIntent waiting = confirm(id, "pm_card_threeDSecure2Required");
                    assertThat(waiting.getStatus()).isEqualTo("requires_action");
                    HttpResponse<String> done = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create(emulator().baseUrl() + "/3ds/" + id + "/complete"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("client_secret=" + clientSecret)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(done.statusCode()).isLessThan(400);
                }
                case ABANDON -> {
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (random.nextBoolean() && outcome != Outcome.ABANDON) {
            buyer.get("/checkout/complete?payment_intent=" + id);
        }
    }

    private PaymentIntent confirm(String id, String paymentMethod) throws Exception {
        return stripe.client().v1().paymentIntents().confirm(id, PaymentIntentConfirmParams.builder()
                .setPaymentMethod(paymentMethod).setReturnUrl("http://localhost:" + port + "/checkout/complete").build());
    }

    private void declined(String id) throws Exception {
        try {
            confirm(id, "pm_card_visa_chargeDeclined");
            throw new AssertionError("the declined card was accepted");
        } catch (CardException expected) {
            // As the buyer's bank said.
        }
    }

    /** Stripe's delivery at its worst, varied while the buyers pay. */
    private void conduct(AtomicBoolean running, Random random) {
        StripeEmulator stripe = emulator();
        while (running.get()) {
            switch (random.nextInt(4)) {
                case 0 -> stripe.reorderNextEvents(5 + random.nextInt(25));
                case 1 -> stripe.delayNextEvents(5 + random.nextInt(10), 100 + random.nextInt(900));
                case 2 -> stripe.corruptNextSignatures(1 + random.nextInt(4));
                default -> {
                    stripe.holdEvents();
                    pause(50 + random.nextInt(200));
                    stripe.releaseEvents(random.nextBoolean());
                }
            }
            pause(100 + random.nextInt(200));
        }
    }

    /** Forged events, and real ones replayed with a stale signature: each must be refused and change nothing. */
    private void forge(AtomicBoolean running, Random random) {
        HttpClient client = HttpClient.newHttpClient();
        List<String> events = List.of();
        int sent = 0;
        while (running.get() || sent < 600) {
            if (sent % 50 == 0 || events.isEmpty()) {
                events = emulator().eventsJson();
            }
            if (events.isEmpty()) {
                pause(50);
                continue;
            }
            String event = events.get(random.nextInt(events.size()));
            long now = Instant.now().getEpochSecond();
            try {
                String signature = switch (random.nextInt(3)) {
                    case 0 -> WebhookDeliveryTest.signature(event, "whsec_forged_by_someone_else", now);
                    case 1 -> WebhookDeliveryTest.signature(event, stripe.webhookSecret(), now - 600);
                    default -> "t=" + now + ",v1=" + "0".repeat(64);
                };
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/stripe/webhook"))
                        .header("Content-Type", "application/json").header("Stripe-Signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
                (answer.statusCode() == 400 ? refused : notRefused).incrementAndGet();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            sent++;
            pause(40);
        }
    }

    private boolean everyEventAccepted() {
        if (emulator().heldEventCount() > 0) {
            emulator().releaseEvents(false);
            return false;
        }
        java.util.Set<String> accepted = new java.util.HashSet<>();
        emulator().deliveryAttempts().stream().filter(attempt -> attempt.succeeded()).forEach(attempt -> accepted.add(attempt.eventId()));
        return emulator().eventsJson().stream().map(json -> com.google.gson.JsonParser.parseString(json).getAsJsonObject()
                .get("id").getAsString()).allMatch(accepted::contains);
    }

    /** Every attempt against Stripe's own record of its PaymentIntent; an empty list is success. */
    private List<String> wrongStates(Map<String, Integer> stockBefore) {
        Map<String, String> stripeStatus = new java.util.HashMap<>();
        Map<String, String> stripeCharge = new java.util.HashMap<>();
        Map<String, Long> received = new java.util.HashMap<>();
        for (String json : emulator().objectsJson("payment_intent")) {
            com.google.gson.JsonObject intent = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
            String id = intent.get("id").getAsString();
            String status = intent.get("status").getAsString();
            boolean failed = status.equals("requires_payment_method") && !intent.get("last_payment_error").isJsonNull();
            stripeStatus.put(id, failed ? "failed" : status);
            stripeCharge.put(id, intent.get("latest_charge").isJsonNull() ? null : intent.get("latest_charge").getAsString());
            received.put(id, intent.get("amount_received").getAsLong());
        }
        List<String> wrong = new ArrayList<>();
        List<Map<String, Object>> attempts = jdbc.sql("SELECT a.id, a.order_id, a.payment_intent_id, a.status, a.charge_id, a.amount_minor, "
                + "o.status AS order_status FROM checkout_attempts a JOIN orders o ON o.id = a.order_id").query().listOfRows();
        assertThat(attempts).hasSize(ORDERS);
        for (Map<String, Object> attempt : attempts) {
            String intent = (String) attempt.get("payment_intent_id");
            String truth = stripeStatus.get(intent);
            String expectedAttempt = switch (String.valueOf(truth)) {
                case "succeeded" -> "paid";
                case "canceled" -> "closed";
                case "failed" -> "failed";
                default -> "?" + truth;
            };
            // A closed attempt's order may since have been paid by the buyer's next attempt: only its attempt is checked.
            String expectedOrder = switch (expectedAttempt) {
                case "paid" -> "paid";
                case "failed" -> "payment_failed";
                default -> ".*";
            };
            if (!expectedAttempt.equals(attempt.get("status")) || !((String) attempt.get("order_status")).matches(expectedOrder)) {
                wrong.add("order " + attempt.get("order_id") + ": Stripe says " + truth + ", attempt " + attempt.get("status")
                        + ", order " + attempt.get("order_status"));
            }
            if ("succeeded".equals(truth) && (!stripeCharge.get(intent).equals(attempt.get("charge_id"))
                    || received.get(intent) != ((Number) attempt.get("amount_minor")).longValue())) {
                wrong.add("order " + attempt.get("order_id") + ": paid " + received.get(intent) + " with " + stripeCharge.get(intent)
                        + " but recorded " + attempt.get("amount_minor") + " with " + attempt.get("charge_id"));
            }
        }
        jdbc.sql("SELECT order_id, COUNT(*) FROM order_status_changes WHERE to_status = 'paid' AND from_status <> 'paid' "
                        + "GROUP BY order_id HAVING COUNT(*) > 1").query((rs, row) -> wrong.add("order " + rs.getLong(1) + " paid "
                        + rs.getInt(2) + " times")).list();
        Map<String, Integer> stockNow = stock();
        for (String slug : BOOKS) {
            int taken = jdbc.sql("SELECT COALESCE(SUM(l.quantity), 0) FROM checkout_attempt_lines l JOIN checkout_attempts a ON a.id = l.attempt_id "
                    + "WHERE l.book_id = ? AND a.status <> 'closed'").param(bookIds.get(slug)).query(Integer.class).single();
            if (stockNow.get(slug) != stockBefore.get(slug) - taken) {
                wrong.add("stock of " + slug + " is " + stockNow.get(slug) + ", expected " + (stockBefore.get(slug) - taken));
            }
        }
        long paidAtStripe = stripeStatus.values().stream().filter("succeeded"::equals).count();
        log.info("Webhook chaos outcome: {} paid at Stripe, {} attempts, {} wrong", paidAtStripe, attempts.size(), wrong.size());
        return wrong;
    }

    private Map<String, Integer> stock() {
        Map<String, Integer> stock = new java.util.HashMap<>();
        jdbc.sql("SELECT slug, stock FROM books").query((rs, row) -> stock.put(rs.getString(1), rs.getInt(2))).list();
        return stock;
    }

    private static String alert(String html) {
        Matcher alert = Pattern.compile("data-testid=\"(error|notice)\">([^<]*)<").matcher(html);
        return alert.find() ? alert.group(2) : html;
    }

    private static String attribute(String html, String name) {
        Matcher matcher = DATA.matcher(html);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return matcher.group(2);
            }
        }
        Matcher alert = Pattern.compile("data-testid=\"(error|notice)\">([^<]*)<").matcher(html);
        throw new AssertionError("No data-" + name + " on the page" + (alert.find() ? ": " + alert.group(2) : "") + "\n"
                + html.substring(Math.max(0, html.indexOf("<main")), Math.min(html.length(), html.indexOf("<main") + 1500)));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
