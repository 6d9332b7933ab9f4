package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bookstore.emulator.DeliveryAttempt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stripe's delivery is at-least-once and unordered: however webhooks arrive (twice, backwards, late, never, or
 * forged) every paid checkout ends as one order, paid once.
 */
@org.springframework.test.context.TestPropertySource(properties = {"bookstore.stripe.read-timeout=90s",
        "bookstore.payments.webhook-retry-after=PT1S", "bookstore.payments.webhook-sweep-every=PT1S"})
class WebhookDeliveryTest extends CheckoutScenarios {

    @org.springframework.beans.factory.annotation.Autowired
    com.zaxxer.hikari.HikariDataSource pool;
    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;

    @AfterEach
    void calmStripe() {
        emulator().releaseEvents(false);
        emulator().clearFaults();
    }

    @Test
    void duplicatedWebhooksMarkTheOrderPaidOnce() {
        emulator().duplicateNextEvents(50);
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(sessionId(hostedPage));

        payOnHostedPage(shopper, hostedPage, VISA, false);

        eventually("the order is paid by webhooks alone", () -> "paid".equals(status(order)));
        eventually("every duplicate was delivered", () -> duplicatesDelivered() > 0);
        assertThat(transitionsTo(order, "paid")).isEqualTo(1);
        assertThat(transitionsTo(order, "pending")).isEqualTo(1);
        assertThat(chargeId(order)).startsWith("ch_");
    }

    @Test
    void manyDeliveriesAtOnceAreEachAnsweredAndEveryOrderPaidOnce() throws Exception {
        int before = emulator().eventsJson().size();
        emulator().holdEvents();
        List<Long> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Shopper shopper = shopperWithCart();
            HttpResponse<String> hostedPage = startCheckout(shopper);
            orders.add(orderOf(sessionId(hostedPage)));
            payOnHostedPage(shopper, hostedPage, VISA, false);
        }
        List<String> all = emulator().eventsJson();
        List<String> theirs = all.subList(0, all.size() - before);
        assertThat(theirs).as("Stripe's events for the three payments").anyMatch(json -> json.contains("\"payment_intent.succeeded\""));
        // Each event four times, shuffled, from sixteen connections at once: the same event racing itself and
        // different events racing each other, each delivery answered only once its event is in the database.
        List<String> deliveries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            deliveries.addAll(theirs);
        }
        Collections.shuffle(deliveries, new Random(7));
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        // Stripe answers no question meanwhile, so nothing is acted on before every delivery has its answer.
        emulator().stallNext("GET", "/v1/", 1_000, 60_000);
        try {
            for (String event : deliveries) {
                String type = com.stripe.net.ApiResource.GSON.fromJson(event, com.stripe.model.Event.class).getType();
                boolean kept = type.startsWith("payment_intent.") || type.startsWith("checkout.session.");
                answers.add(senders.submit(() -> {
                    go.await();
                    int status = deliver(client, event, signature(event, stripe.webhookSecret(), Instant.now().getEpochSecond())).statusCode();
                    // Read at once, on a connection of its own: the answer came after the commit, never before it.
                    return status + (kept && waiting(eventId(event)) != 1 ? " before " + type + " was committed" : "");
                }));
            }
            go.countDown();
            for (Future<String> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).as("every delivery answered once its event is kept").isEqualTo("200");
            }
        } finally {
            senders.shutdownNow();
            emulator().clearFaults();
            emulator().releaseStalls();
        }
        for (long order : orders) {
            eventually("order " + order + " paid by the deliveries", () -> "paid".equals(status(order)));
            assertThat(transitionsTo(order, "paid")).isEqualTo(1);
            assertThat(transitionsTo(order, "pending")).isEqualTo(1);
            assertThat(chargeId(order)).startsWith("ch_");
        }
        for (String event : theirs) {
            eventually("event " + eventId(event) + " no longer waits", () -> waiting(eventId(event)) == 0);
        }
    }

    @Test
    void succeededArrivingBeforeCreatedStillEndsPaidAndNeverGoesBack() {
        emulator().holdEvents();
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(sessionId(hostedPage));
        payOnHostedPage(shopper, hostedPage, VISA, false);
        assertThat(emulator().heldEventCount()).isGreaterThanOrEqualTo(3);
        assertThat(status(order)).isEqualTo("cart");

        emulator().releaseEvents(true);

        eventually("the order is paid", () -> "paid".equals(status(order)));
        eventually("the late payment_intent.created was handled",
                () -> handled(order, "payment_intent.created") && handled(order, "payment_intent.succeeded"));
        assertThat(status(order)).isEqualTo("paid");
        assertThat(jdbc.sql("SELECT to_status FROM order_status_changes WHERE order_id = ? AND from_status <> to_status ORDER BY id")
                .param(order).query(String.class).list())
                .as("a late 'created' never moves a paid order back").containsExactly("pending", "paid");
    }

    @Test
    void delayedWebhooksStillMarkTheOrderPaid() {
        emulator().delayNextEvents(50, 1_500);
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(sessionId(hostedPage));

        payOnHostedPage(shopper, hostedPage, VISA, false);

        eventually("the delayed webhooks arrive", () -> "paid".equals(status(order)));
        assertThat(transitionsTo(order, "paid")).isEqualTo(1);
    }

    @Test
    void withNoWebhookAtAllTheSuccessPageAloneMarksTheOrderPaid() {
        emulator().holdEvents();
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(sessionId(hostedPage));

        HttpResponse<String> confirmation = payOnHostedPage(shopper, hostedPage, VISA, true);

        assertThat(confirmation.body()).contains("Your payment was received", chargeId(order));
        assertThat(status(order)).isEqualTo("paid");

        emulator().releaseEvents(false);
        eventually("the late webhooks are handled", () -> handled(order, "payment_intent.succeeded"));
        assertThat(transitionsTo(order, "paid")).isEqualTo(1);
    }

    @Test
    void theSuccessPageAndTheWebhookRacingMakeOneTransition() {
        emulator().holdEvents();
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        String sessionId = sessionId(hostedPage);
        long order = orderOf(sessionId);
        payOnHostedPage(shopper, hostedPage, VISA, false);

        List<CompletableFuture<HttpResponse<String>>> successPages = List.of(
                CompletableFuture.supplyAsync(() -> shopper.browser().get("/checkout/success?session_id=" + sessionId)),
                CompletableFuture.supplyAsync(() -> shopper.browser().get("/checkout/success?session_id=" + sessionId)));
        emulator().releaseEvents(false);
        successPages.forEach(page -> assertThat(page.join().body()).contains("Your payment was received"));

        eventually("every webhook is handled", () -> handled(order, "payment_intent.succeeded") && handled(order, "checkout.session.completed"));
        assertThat(transitionsTo(order, "paid")).isEqualTo(1);
    }

    @Test
    void whileStripeIsSlowToAnswerAboutAnEventTheDeliveryIsAnsweredAndNoDatabaseConnectionOrLockIsHeld() throws Exception {
        emulator().holdEvents();
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(sessionId(hostedPage));
        payOnHostedPage(shopper, hostedPage, VISA, false);
        String completed = emulator().eventsJson().stream().filter(json -> json.contains("\"type\":\"checkout.session.completed\"")
                && json.contains(sessionId(hostedPage))).findFirst().orElseThrow();
        emulator().stallNext("GET", "/v1/checkout/sessions", 1, 60_000);

        HttpResponse<String> webhook = deliver(completed, signature(completed, stripe.webhookSecret(), Instant.now().getEpochSecond()));

        assertThat(webhook.statusCode()).as("answered without waiting for Stripe").isEqualTo(200);
        eventually("the event is being acted on, waiting on Stripe", () -> emulator().pendingFaultCount() == 0);
        eventually("no connection is in use while Stripe is asked", () -> pool.getHikariPoolMXBean().getActiveConnections() == 0);
        Integer locked = transactions.execute(status -> jdbc.sql("SELECT id FROM orders WHERE id = ? FOR UPDATE NOWAIT").param(order)
                .query(Long.class).list().size() + jdbc.sql("SELECT id FROM checkout_attempts WHERE order_id = ? FOR UPDATE NOWAIT")
                .param(order).query(Long.class).list().size());
        assertThat(locked).as("the order's and the attempt's rows are free at once").isEqualTo(2);
        assertThat(status(order)).as("all this while Stripe had not answered").isEqualTo("cart");
        emulator().releaseStalls();
        eventually("the order is paid once Stripe answers", () -> "paid".equals(status(order)));
        assertThat(transitionsTo(order, "paid")).isEqualTo(1);
        eventually("the event is no longer waiting", () -> waiting(eventId(completed)) == 0);
    }

    @Test
    void anEventStripeCannotBeAskedAboutIsAnsweredKeptShownToTheOwnerAndActedOnOnceStripeAnswers() throws Exception {
        PaidWithEventsHeld paid = paidWithEventsHeld();
        long order = paid.order();
        String succeeded = paid.succeeded();
        String eventId = eventId(succeeded);
        emulator().failNext("GET", "/v1/", 100_000, 503);

        assertThat(deliver(succeeded, signature(succeeded, stripe.webhookSecret(), Instant.now().getEpochSecond())).statusCode())
                .as("answered: the event is kept, and Stripe need not send it again").isEqualTo(200);
        eventually("a try failed", () -> jdbc.sql("SELECT tries FROM stripe_inbox WHERE event_id = ?").param(eventId)
                .query(Integer.class).optional().orElse(0) >= 1);
        assertThat(deliver(succeeded, signature(succeeded, stripe.webhookSecret(), Instant.now().getEpochSecond())).statusCode())
                .as("Stripe sending it again meanwhile").isEqualTo(200);
        assertThat(waiting(eventId)).as("kept once").isEqualTo(1);
        assertThat(status(order)).isEqualTo("cart");

        // The shop owner sees it once it has waited longer than an event should.
        jdbc.sql("UPDATE stripe_inbox SET received_at = ? WHERE event_id = ?")
                .params(java.sql.Timestamp.from(Instant.now().minus(java.time.Duration.ofMinutes(10))), eventId).update();
        org.bookstore.store.support.HttpVisitor owner = new org.bookstore.store.support.HttpVisitor("http://localhost:" + port);
        owner.logIn("owner@bookstore.example", "Correct-Horse-Battery-42");
        assertThat(owner.get("/admin").body()).contains("1 Stripe event not acted on yet", "Stripe could not be asked");

        emulator().clearFaults();
        eventually("the kept event is acted on once Stripe answers", () -> "paid".equals(status(order)));
        assertThat(transitionsTo(order, "paid")).isEqualTo(1);
        assertThat(chargeId(order)).startsWith("ch_");
        eventually("the event is no longer waiting", () -> waiting(eventId) == 0);
        assertThat(owner.get("/admin").body()).doesNotContain("not acted on yet");
    }

    /**
     * A dispute opened while the payment's own events wait to be tried again (Stripe could not be asked about the
     * payment) found no paid order: its events were done with, the order was paid a minute later, and the dispute was
     * never shown, its evidence never sent. Its events now settle the payment first, and it is shown beside the order.
     */
    @Test
    void aDisputeWhoseEventsGetThroughBeforeThePaymentsIsShownBesideThePaidOrder() {
        int before = emulator().eventsJson().size();
        emulator().holdEvents();
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(sessionId(hostedPage));
        payOnHostedPage(shopper, hostedPage, "4000 0000 0000 0259", false);
        emulator().advanceClock(5);
        eventually("Stripe opened a dispute", () -> !disputeEventsSince(before).isEmpty());
        List<String> disputeEvents = disputeEventsSince(before);

        emulator().failNext("GET", "/v1/payment_intents", 100_000, 503);
        emulator().failNext("GET", "/v1/checkout/sessions", 100_000, 503);
        emulator().releaseEvents(false);
        eventually("the dispute's events were each tried", () -> disputeEvents.stream().allMatch(id -> tried(id)));
        assertThat(status(order)).as("the payment's events still wait").isNotEqualTo("paid");
        emulator().clearFaults();

        eventually("the order is paid", () -> "paid".equals(status(order)));
        eventually("the dispute is shown beside it", () -> jdbc.sql("SELECT COUNT(*) FROM disputes WHERE order_id = ?")
                .param(order).query(Integer.class).single() == 1);
        eventually("every event was acted on", () -> disputeEvents.stream().allMatch(id -> waiting(id) == 0));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM order_status_changes WHERE order_id = ? AND detail LIKE 'Payment disputed%'")
                .param(order).query(Integer.class).single()).isEqualTo(1);
        assertThat(transitionsTo(order, "paid")).isEqualTo(1);
    }

    /** The ids of the dispute events Stripe made since it had made {@code before} events. */
    private List<String> disputeEventsSince(int before) {
        List<String> all = emulator().eventsJson();
        return all.subList(0, all.size() - before).stream().filter(json -> json.contains("\"type\":\"charge.dispute."))
                .map(WebhookDeliveryTest::eventId).toList();
    }

    /** Acted on (and done with), or tried and waiting to be tried again. */
    private boolean tried(String eventId) {
        return jdbc.sql("SELECT COUNT(*) FROM stripe_events WHERE event_id = ?").param(eventId).query(Integer.class).single() > 0
                || jdbc.sql("SELECT tries FROM stripe_inbox WHERE event_id = ?").param(eventId).query(Integer.class).optional().orElse(0) > 0;
    }

    @Test
    void aForgedSignatureIsRefusedAndChangesNothing() throws Exception {
        PaidWithEventsHeld paid = paidWithEventsHeld();
        long order = paid.order();
        String succeeded = paid.succeeded();

        long now = Instant.now().getEpochSecond();
        assertThat(deliver(succeeded, signature(succeeded, "whsec_forged_by_someone_else", now)).statusCode()).isEqualTo(400);
        assertThat(deliver(succeeded, "t=" + now + ",v1=" + "0".repeat(64)).statusCode()).isEqualTo(400);
        assertThat(deliver(succeeded, null).statusCode()).isEqualTo(400);

        assertThat(status(order)).isEqualTo("cart");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM stripe_events WHERE event_type = 'payment_intent.succeeded' AND object_id LIKE 'pi_%' "
                + "AND event_id = ?").param(eventId(succeeded)).query(Integer.class).single()).isZero();
    }

    @Test
    void aStaleSignatureIsRefusedEvenWithTheRightSecret() throws Exception {
        PaidWithEventsHeld paid = paidWithEventsHeld();
        long order = paid.order();
        String succeeded = paid.succeeded();

        long tenMinutesAgo = Instant.now().getEpochSecond() - 600;
        assertThat(deliver(succeeded, signature(succeeded, stripe.webhookSecret(), tenMinutesAgo)).statusCode()).isEqualTo(400);
        assertThat(status(order)).isEqualTo("cart");

        assertThat(deliver(succeeded, signature(succeeded, stripe.webhookSecret(), Instant.now().getEpochSecond())).statusCode())
                .as("the same event, freshly signed, is accepted").isEqualTo(200);
        eventually("the accepted event is acted on", () -> "paid".equals(status(order)));
    }

    @Test
    void aCorruptedDeliveryIsRefusedAndStripesResendIsAccepted() {
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(sessionId(hostedPage));
        emulator().corruptNextSignatures(50);

        payOnHostedPage(shopper, hostedPage, VISA, false);

        eventually("the corrupted deliveries were refused", () -> emulator().deliveryAttempts().stream()
                .anyMatch(attempt -> attempt.signatureCorrupted() && Integer.valueOf(400).equals(attempt.statusCode())
                        && attempt.eventType().equals("payment_intent.succeeded")));
        assertThat(status(order)).isEqualTo("cart");

        emulator().corruptNextSignatures(0);
        String eventId = emulator().deliveryAttempts().stream()
                .filter(attempt -> attempt.eventType().equals("payment_intent.succeeded") && attempt.signatureCorrupted())
                .map(DeliveryAttempt::eventId).reduce((first, last) -> last).orElseThrow();
        emulator().resendEvent(eventId, null);

        eventually("the resent event is accepted", () -> "paid".equals(status(order)));
    }

    @Test
    void eventTypesTheStoreDoesNotUseAreAnsweredWithSuccess() throws Exception {
        String event = "{\"id\":\"evt_unused_" + System.nanoTime() + "\",\"object\":\"event\",\"api_version\":\"2026-07-29.dahlia\","
                + "\"created\":1,\"livemode\":false,\"pending_webhooks\":1,\"type\":\"customer.updated\","
                + "\"data\":{\"object\":{\"id\":\"cus_unused\",\"object\":\"customer\"}}}";
        long now = Instant.now().getEpochSecond();
        HttpResponse<String> response = deliver(event, signature(event, stripe.webhookSecret(), now));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM stripe_events WHERE event_id = ?").param(eventId(event)).query(Integer.class).single())
                .as("nothing is recorded for an event the store does not use").isZero();

        assertThat(deliver(event, signature(event, "whsec_forged_by_someone_else", now)).statusCode())
                .as("an unused type is still refused without Stripe's signature").isEqualTo(400);
        String notAnEvent = "[\"customer.updated\"]";
        assertThat(deliver(notAnEvent, signature(notAnEvent, stripe.webhookSecret(), now)).statusCode()).isEqualTo(400);
        String noType = "{\"id\":\"evt_untyped_" + System.nanoTime() + "\",\"object\":\"event\"}";
        assertThat(deliver(noType, signature(noType, stripe.webhookSecret(), now)).statusCode())
                .as("a signed event without a type is acknowledged and ignored").isEqualTo(200);
    }

    @Test
    void aMalformedSignatureHeaderOrAnotherMethodIsAClientErrorNotAServerError() throws Exception {
        String event = "{\"id\":\"evt_header_" + System.nanoTime() + "\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\"}";
        for (String header : List.of("t=x", "t", "v1", "t=1,v1", "t=99999999999999999999,v1=00")) {
            HttpResponse<String> response = deliver(event, header);
            assertThat(response.statusCode()).as(header).isEqualTo(400);
            assertThat(response.body()).as(header).contains("invalid signature");
        }
        HttpResponse<String> get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + org.bookstore.store.payments.webhooks.StripeWebhookEndpoint.PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void aSignedEventStripesSdkCannotReadIsKeptAndTriedAgainNeverDropped() throws Exception {
        String eventId = "evt_unreadable_" + System.nanoTime();
        String event = "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\",\"data\":5}";

        assertThat(deliver(event, signature(event, stripe.webhookSecret(), Instant.now().getEpochSecond())).statusCode()).isEqualTo(200);

        eventually("a try failed", () -> jdbc.sql("SELECT tries FROM stripe_inbox WHERE event_id = ?").param(eventId)
                .query(Integer.class).optional().orElse(0) >= 1);
        assertThat(jdbc.sql("SELECT last_error FROM stripe_inbox WHERE event_id = ?").param(eventId).query(String.class).single())
                .contains("cannot read it as an event");
        jdbc.sql("DELETE FROM stripe_inbox WHERE event_id = ?").param(eventId).update();
    }

    @Test
    void anEventWhoseTypeIsRepeatedIsActedOnAsStripesParserReadsIt() throws Exception {
        PaidWithEventsHeld paid = paidWithEventsHeld();
        long order = paid.order();
        String succeeded = paid.succeeded();
        // Stripe's SDK keeps the last of repeated keys: this is a payment_intent.succeeded to it.
        String repeatedType = "{\"type\":\"customer.updated\"," + succeeded.substring(1);

        HttpResponse<String> response = deliver(repeatedType, signature(repeatedType, stripe.webhookSecret(), Instant.now().getEpochSecond()));

        assertThat(response.statusCode()).isEqualTo(200);
        eventually("the event the store acts on is the one Stripe's SDK reads", () -> "paid".equals(status(order)));
    }

    @Test
    void anEventWhoseIdIsRepeatedIsActedOnAsStripesParserReadsIt() throws Exception {
        PaidWithEventsHeld paid = paidWithEventsHeld();
        long order = paid.order();
        String succeeded = paid.succeeded();
        jdbc.sql("INSERT INTO stripe_events (event_id, event_type, object_id, received_at) VALUES (?, 'payment_intent.succeeded', 'pi_1', ?)")
                .params(eventId(succeeded), java.sql.Timestamp.from(Instant.now())).update();
        // Stripe's SDK keeps the last of repeated keys: to it this is an event not handled yet.
        String repeatedId = succeeded.substring(0, succeeded.lastIndexOf('}')) + ",\"id\":\"evt_not_handled_" + System.nanoTime() + "\"}";
        long now = Instant.now().getEpochSecond();

        HttpResponse<String> response = deliver(repeatedId, signature(repeatedId, stripe.webhookSecret(), now));

        assertThat(response.statusCode()).isEqualTo(200);
        eventually("the event the store acts on is the one Stripe's SDK reads", () -> "paid".equals(status(order)));
    }

    @Test
    void aSignedEventFollowedByMoreThanJsonIsRefusedWhateverItsType() throws Exception {
        String event = "{\"id\":\"evt_trailing_" + System.nanoTime() + "\",\"object\":\"event\",\"type\":\"customer.updated\","
                + "\"data\":{\"object\":{\"id\":\"cus_unused\",\"object\":\"customer\"}}} {\"more\":1}";
        HttpResponse<String> response = deliver(event, signature(event, stripe.webhookSecret(), Instant.now().getEpochSecond()));
        assertThat(response.statusCode()).as("Stripe's SDK cannot read it as one event").isEqualTo(400);
    }

    @Test
    void aWellFormedEventTheDatabaseCannotCheckNowIsNotCalledMalformed() throws Exception {
        PaidWithEventsHeld paid = paidWithEventsHeld();
        long order = paid.order();
        String succeeded = paid.succeeded();
        long now = Instant.now().getEpochSecond();

        jdbc.sql("ALTER TABLE stripe_events RENAME TO stripe_events_away").update();
        HttpResponse<String> response;
        try {
            response = deliver(succeeded, signature(succeeded, stripe.webhookSecret(), now));
        } finally {
            jdbc.sql("ALTER TABLE stripe_events_away RENAME TO stripe_events").update();
        }
        assertThat(response.statusCode()).as("a server error, as when acting on it fails").isGreaterThanOrEqualTo(500);
        assertThat(response.body()).doesNotContain("malformed");

        assertThat(deliver(succeeded, signature(succeeded, stripe.webhookSecret(), now)).statusCode()).isEqualTo(200);
        eventually("the event delivered again is acted on", () -> "paid".equals(status(order)));
    }

    private int waiting(String eventId) {
        return jdbc.sql("SELECT COUNT(*) FROM stripe_inbox WHERE event_id = ?").param(eventId).query(Integer.class).single();
    }

    private boolean handled(long order, String type) {
        return jdbc.sql("SELECT COUNT(*) FROM stripe_events WHERE event_type = ? AND object_id IN (SELECT payment_intent_id FROM checkout_attempts WHERE order_id = ?)")
                .params(type, order).query(Integer.class).single() > 0
                || jdbc.sql("SELECT COUNT(*) FROM stripe_events WHERE event_type = ? AND object_id IN (SELECT checkout_session_id FROM checkout_attempts WHERE order_id = ?)")
                .params(type, order).query(Integer.class).single() > 0;
    }

    private long duplicatesDelivered() {
        return emulator().deliveryAttempts().stream().filter(attempt -> attempt.succeeded()).map(DeliveryAttempt::eventId).count()
                - emulator().deliveryAttempts().stream().filter(attempt -> attempt.succeeded()).map(DeliveryAttempt::eventId).distinct().count();
    }

    /** An order paid on the hosted page while Stripe holds its events back, and its payment_intent.succeeded. */
    private record PaidWithEventsHeld(long order, String succeeded) {
    }

    private PaidWithEventsHeld paidWithEventsHeld() {
        emulator().holdEvents();
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(sessionId(hostedPage));
        payOnHostedPage(shopper, hostedPage, VISA, false);
        return new PaidWithEventsHeld(order, heldEvent("payment_intent.succeeded"));
    }

    private String heldEvent(String type) {
        return emulator().eventsJson().stream().filter(json -> json.contains("\"type\":\"" + type + "\"")).findFirst().orElseThrow();
    }

    private static String eventId(String eventJson) {
        int start = eventJson.indexOf("\"id\":\"") + 6;
        return eventJson.substring(start, eventJson.indexOf('"', start));
    }

    private HttpResponse<String> deliver(String payload, String signature) throws Exception {
        return deliver(HttpClient.newHttpClient(), payload, signature);
    }

    private HttpResponse<String> deliver(HttpClient client, String payload, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + org.bookstore.store.payments.webhooks.StripeWebhookEndpoint.PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A Stripe-Signature header made as Stripe makes it: v1 = HMAC-SHA256(secret, "t.payload"). */
    static String signature(String payload, String secret, long timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
    }
}
