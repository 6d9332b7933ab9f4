package org.bookstore.store.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Fifty checkouts, and in each the store process is killed ({@code kill -9}) at a moment picked at random: before
 * Stripe answers, while Stripe is making the session, right after the buyer was sent to Stripe, while webhooks are
 * being received and committed, or anywhere while the buyer pays and comes back. Buyers pay while the store is down
 * or after it is back. In the end every payment Stripe took is exactly one paid order for exactly what was paid,
 * no order is paid twice, and the stock adds up.
 */
class CrashSuiteTest {

    private static final Logger log = LoggerFactory.getLogger(CrashSuiteTest.class);
    private static final int CHECKOUTS = 50;
    private static final List<String> BOOKS = List.of("refactoring", "working-in-public", "art-of-doing-science-and-engineering");

    enum Moment { BEFORE_STRIPE_ANSWERS, WHILE_STRIPE_MAKES_THE_SESSION, RIGHT_AFTER_THE_REDIRECT, WHILE_WEBHOOKS_ARRIVE, ANYWHERE }

    @Test
    void everyPaymentStripeTookEndsAsExactlyOnePaidOrder(@TempDir Path data) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        log.info("Crash suite seed {} (rerun with -Dcrash.seed={})", seed, seed);
        Random random = new Random(seed);
        try (CrashRig rig = new CrashRig(data)) {
            rig.stop();
            rig.database().sql("UPDATE books SET stock = 10000").update();
            Map<String, Integer> stockBefore = stock(rig.database());
            rig.start();
            Map<String, Integer> moments = new LinkedHashMap<>();
            for (int checkout = 0; checkout < CHECKOUTS; checkout++) {
                Moment moment = Moment.values()[checkout % Moment.values().length];
                moments.merge(moment.name(), 1, Integer::sum);
                HttpVisitor buyer = rig.buyerWithCart(1 + random.nextInt(3));
                if (random.nextBoolean()) {
                    rig.addToCart(buyer, BOOKS.get(random.nextInt(BOOKS.size())), 1 + random.nextInt(2));
                }
                killDuring(rig, buyer, moment, random);
            }
            log.info("Kills by moment: {}", moments);
            assertEverythingStripeTookIsPaidOnce(rig, stockBefore);
        }
    }

    private void killDuring(CrashRig rig, HttpVisitor buyer, Moment moment, Random random) throws Exception {
        Set<String> sessionsBefore = sessionIds(rig);
        buyer.get("/checkout");
        String checkoutPage = buyer.lastPage();
        String session = null;
        boolean payWhileDown = random.nextBoolean();
        switch (moment) {
            case BEFORE_STRIPE_ANSWERS -> {
                rig.stripe.stallNext("POST", "/v1/checkout/sessions$", 1, 60_000);
                CompletableFuture<?> pay = CompletableFuture.runAsync(() -> quietly(() -> buyer.postFrom(checkoutPage, "/checkout/pay")));
                eventually("the store asked Stripe", () -> rig.stripe.pendingFaultCount() == 0);
                pause(random, 50);
                rig.kill();
                rig.stripe.releaseStalls();
                pay.handle((result, failure) -> null).join();
                session = awaitNewSession(rig, sessionsBefore);
            }
            case WHILE_STRIPE_MAKES_THE_SESSION -> {
                rig.stripe.hangNext("POST", "/v1/checkout/sessions$", 1, 60_000);
                CompletableFuture<?> pay = CompletableFuture.runAsync(() -> quietly(() -> buyer.postFrom(checkoutPage, "/checkout/pay")));
                session = awaitNewSession(rig, sessionsBefore);
                pause(random, 50);
                rig.kill();
                rig.stripe.clearFaults();
                pay.handle((result, failure) -> null).join();
            }
            case RIGHT_AFTER_THE_REDIRECT -> {
                HttpResponse<String> redirect = buyer.postFrom(checkoutPage, "/checkout/pay");
                session = path(redirect);
                rig.kill();
            }
            case WHILE_WEBHOOKS_ARRIVE -> {
                session = path(buyer.postFrom(checkoutPage, "/checkout/pay"));
                rig.stripe.holdEvents();
                rig.payOnHostedPage(buyer, session, CrashRig.VISA);
                rig.stripe.releaseEvents(random.nextBoolean());
                pause(random, 150);
                rig.kill();
                payWhileDown = false;
                session = null;
            }
            case ANYWHERE -> {
                String paying = path(buyer.postFrom(checkoutPage, "/checkout/pay"));
                CompletableFuture<?> pays = CompletableFuture.runAsync(() -> quietly(() -> {
                    buyer.submitTo(rig.stripe.baseUrl() + "/c/pay/" + paying, true, "email", "crash@example.com",
                            "card_number", CrashRig.VISA, "expiry", "12 / 34", "cvc", "123", "name", "Crash Buyer");
                }));
                pause(random, 600);
                rig.kill();
                pays.handle((result, failure) -> null).join();
                payWhileDown = false;
                session = null;
            }
        }
        if (session != null && payWhileDown) {
            rig.payOnHostedPage(buyer, session, CrashRig.VISA);
        }
        rig.start();
        if (session != null && !payWhileDown && random.nextInt(4) > 0) {
            rig.payOnHostedPage(buyer, session, CrashRig.VISA);
        }
        if (session != null && random.nextBoolean()) {
            rig.again(buyer).get("/checkout/success?session_id=" + session);
        }
    }

    private void assertEverythingStripeTookIsPaidOnce(CrashRig rig, Map<String, Integer> stockBefore) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        List<String> problems = List.of("not checked yet");
        while (!problems.isEmpty() && Instant.now().isBefore(deadline)) {
            pauseMillis(6_000);
            rig.stop();
            problems = problems(rig, rig.database(), stockBefore);
            if (!problems.isEmpty()) {
                log.info("Not settled yet: {}", problems);
                rig.start();
            }
        }
        assertThat(problems).as("wrong states after %d checkouts with a kill in each", CHECKOUTS).isEmpty();
        JdbcClient db = rig.database();
        int paidOrders = db.sql("SELECT COUNT(*) FROM orders WHERE status = 'paid'").query(Integer.class).single();
        log.info("Crash suite: {} checkouts, {} payments at Stripe, {} paid orders", CHECKOUTS, rig.succeededAtStripe().size(), paidOrders);
        assertThat(paidOrders).as("most buyers paid").isGreaterThan(CHECKOUTS / 2);
    }

    /** Everything that is wrong: each line one broken promise. */
    private static List<String> problems(CrashRig rig, JdbcClient db, Map<String, Integer> stockBefore) {
        List<String> problems = new ArrayList<>();
        Map<String, Long> succeeded = rig.succeededAtStripe();
        for (Map.Entry<String, Long> payment : succeeded.entrySet()) {
            List<Map<String, Object>> attempts = db.sql("SELECT a.status AS attempt, o.status AS order_status, a.amount_minor AS amount, "
                            + "(SELECT SUM(l.quantity * l.unit_price_minor) FROM order_lines l WHERE l.order_id = o.id) AS lines_total "
                            + "FROM checkout_attempts a JOIN orders o ON o.id = a.order_id WHERE a.payment_intent_id = ?")
                    .param(payment.getKey()).query().listOfRows();
            if (attempts.size() != 1) {
                problems.add(payment.getKey() + " succeeded at Stripe but belongs to " + attempts.size() + " attempts");
                continue;
            }
            Map<String, Object> row = attempts.get(0);
            if (!"paid".equals(row.get("attempt")) || !"paid".equals(row.get("order_status"))) {
                problems.add(payment.getKey() + " succeeded at Stripe but its attempt is " + row.get("attempt") + " and its order "
                        + row.get("order_status"));
            }
            if (((Number) row.get("amount")).longValue() != payment.getValue() || ((Number) row.get("lines_total")).longValue() != payment.getValue()) {
                problems.add(payment.getKey() + " received " + payment.getValue() + " for an order of " + row.get("lines_total"));
            }
        }
        for (Map<String, Object> paid : db.sql("SELECT o.id, COUNT(a.id) AS paid_attempts FROM orders o LEFT JOIN checkout_attempts a "
                + "ON a.order_id = o.id AND a.status = 'paid' WHERE o.status = 'paid' GROUP BY o.id").query().listOfRows()) {
            if (((Number) paid.get("paid_attempts")).intValue() != 1) {
                problems.add("order " + paid.get("id") + " is paid by " + paid.get("paid_attempts") + " attempts");
            }
        }
        for (String intent : db.sql("SELECT payment_intent_id FROM checkout_attempts WHERE status = 'paid'").query(String.class).list()) {
            if (!succeeded.containsKey(intent)) {
                problems.add("attempt paid by " + intent + ", which Stripe says did not succeed");
            }
        }
        Map<String, Integer> stockNow = stock(db);
        for (Map.Entry<String, Integer> book : stockBefore.entrySet()) {
            int taken = db.sql("SELECT COALESCE(SUM(l.quantity), 0) FROM checkout_attempt_lines l JOIN checkout_attempts a ON a.id = l.attempt_id "
                    + "JOIN books b ON b.id = l.book_id WHERE b.slug = ? AND a.status <> 'closed'").param(book.getKey()).query(Integer.class).single();
            if (stockNow.get(book.getKey()) != book.getValue() - taken) {
                problems.add("stock of " + book.getKey() + " is " + stockNow.get(book.getKey()) + ", expected " + (book.getValue() - taken));
            }
        }
        return problems;
    }

    private static Map<String, Integer> stock(JdbcClient db) {
        Map<String, Integer> stock = new LinkedHashMap<>();
        db.sql("SELECT slug, stock FROM books").query((rs, row) -> stock.put(rs.getString("slug"), rs.getInt("stock"))).list();
        return stock;
    }

    private static Set<String> sessionIds(CrashRig rig) {
        Set<String> ids = new HashSet<>();
        rig.stripe.objectsJson("checkout.session").forEach(json -> ids.add(CrashRig.field(json, "id")));
        return ids;
    }

    private static String awaitNewSession(CrashRig rig, Set<String> before) {
        String[] found = new String[1];
        eventually("Stripe made the session", () -> {
            Set<String> now = sessionIds(rig);
            now.removeAll(before);
            found[0] = now.stream().findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    private static String path(HttpResponse<String> hostedPage) {
        String path = hostedPage.uri().getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void pause(Random random, int upToMillis) {
        pauseMillis(random.nextInt(upToMillis + 1));
    }

    private static void pauseMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void quietly(Runnable request) {
        try {
            request.run();
        } catch (RuntimeException storeDied) {
            // The store was killed while answering: what the buyer's browser would see as a dropped connection.
        }
    }
}
