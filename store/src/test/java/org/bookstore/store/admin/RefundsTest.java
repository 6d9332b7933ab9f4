package org.bookstore.store.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import com.stripe.model.Refund;
import com.stripe.param.RefundCreateParams;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bookstore.store.payments.refunds.RefundLedger;
import org.bookstore.store.payments.refunds.RefundRecord;
import org.bookstore.store.payments.refunds.Refunds;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Refunds made in the back office, end to end: stripe-java against the emulator, its webhooks, the order's status
 * and the buyer's page. Every refused refund says why and sends nothing to Stripe.
 */
class RefundsTest extends BackOfficeScenarios {

    @Autowired
    Refunds refunds;
    @Autowired
    RefundLedger ledger;

    @Test
    void aPartialRefundByAmountMakesTheOrderPartiallyRefundedAndTheBuyerSeesIt() {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();

        HttpResponse<String> page = refund(admin, paid.orderId(), "amount", "10.00", "reason", "requested_by_customer");

        assertThat(page.body()).contains("Refund of $10.00 made", "Stripe refunded it");
        eventually("the refund's webhooks are handled", () -> "partially_refunded".equals(status(paid.orderId())));
        assertThat(refundsAtStripe(paid.orderId())).isEqualTo(1);
        assertThat(emulator().objectsJson("refund")).anyMatch(json -> json.contains("\"amount\":1000")
                && json.contains("\"reason\":\"requested_by_customer\""));
        String buyerPage = paid.buyer().get("/orders/" + paid.orderId()).body();
        assertThat(buyerPage).contains("Partially refunded", "$10.00", "Refunded").doesNotContain("re_");
        assertThat(admin.get("/admin/orders/" + paid.orderId()).body()).contains("$46.00", "by " + ADMIN_EMAIL);
        assertThat(transitionsTo(paid.orderId(), "partially_refunded")).isEqualTo(1);
    }

    @Test
    void refundingBooksWithRestockPutsThemBackAndRefundingTheRestMakesTheOrderRefunded() {
        Paid paid = paidOrder(VISA);
        int stockAfterSale = stock("working-in-public");
        HttpVisitor admin = admin();

        HttpResponse<String> page = refund(admin, paid.orderId(), "copies_" + bookId("working-in-public"), "1", "restock", "on",
                "reason", "requested_by_customer");

        assertThat(page.body()).contains("Refund of $28.00 made");
        assertThat(stock("working-in-public")).isEqualTo(stockAfterSale + 1);
        eventually("partially refunded", () -> "partially_refunded".equals(status(paid.orderId())));

        refund(admin, paid.orderId(), "all", "true", "reason", "requested_by_customer");
        eventually("refunded in full", () -> "refunded".equals(status(paid.orderId())));
        assertThat(paid.buyer().get("/orders/" + paid.orderId()).body()).contains("refunded in full");
        assertThat(stock("working-in-public")).as("only the books asked for went back").isEqualTo(stockAfterSale + 1);
    }

    @Test
    void submittingTheSameFormTwiceMakesOneRefund() {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();
        admin.get("/admin/orders/" + paid.orderId());
        String[] fields = withToken(admin.lastPage(), "amount", "5.00", "reason", "duplicate");
        HttpVisitor sameTab = admin.on(baseUrl());

        List<CompletableFuture<HttpResponse<String>>> submits = List.of(
                CompletableFuture.supplyAsync(() -> admin.post("/admin/orders/" + paid.orderId() + "/refunds", fields)),
                CompletableFuture.supplyAsync(() -> sameTab.post("/admin/orders/" + paid.orderId() + "/refunds", fields)));
        submits.forEach(CompletableFuture::join);

        assertThat(refundsAtStripe(paid.orderId())).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refunds WHERE order_id = ?").param(paid.orderId()).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void stripeFailingDuringARefundSaysSoAndSendingAgainMakesOneRefund() {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();
        emulator().failNext("POST", "/v1/refunds", 5, 500);

        HttpResponse<String> failed = refund(admin, paid.orderId(), "amount", "7.00", "reason", "requested_by_customer");

        assertThat(failed.body()).contains("Stripe is unavailable right now", "Send again");
        assertThat(refundsAtStripe(paid.orderId())).isZero();
        assertThat(status(paid.orderId())).isEqualTo("paid");
        emulator().clearFaults();

        // The failed try may still be under way at Stripe: a new one waits until it cannot be.
        admin.post(sendAgainPath(admin.lastPage()));
        assertThat(admin.lastPage()).contains("Stripe has not confirmed this refund yet", "in a few minutes");
        assertThat(refundsAtStripe(paid.orderId())).isZero();
        lastSentAgo(requestId(paid.orderId()), Refunds.IN_FLIGHT_AT_MOST.plusMinutes(1));

        admin.post(sendAgainPath(admin.lastPage()));

        assertThat(admin.lastPage()).contains("Refund of $7.00 made");
        assertThat(refundsAtStripe(paid.orderId())).isEqualTo(1);
        eventually("partially refunded", () -> "partially_refunded".equals(status(paid.orderId())));
    }

    /** Says the request was last sent to Stripe {@code ago}, as if the shop owner had waited that long. */
    private void lastSentAgo(long request, java.time.Duration ago) {
        jdbc.sql("UPDATE refunds SET updated_at = ? WHERE id = ?")
                .params(java.sql.Timestamp.from(java.time.Instant.now().minus(ago)), request).update();
    }

    @Test
    void aTimeoutAfterStripeMadeTheRefundNeverMakesASecondOne() {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();
        // Stripe makes the refund, then the answer is too late for the store (its read timeout is 2 s in tests), and
        // no webhook tells it either.
        emulator().holdEvents();
        emulator().hangNext("POST", "/v1/refunds", 2, 5_000);

        HttpResponse<String> unanswered = refund(admin, paid.orderId(), "amount", "3.00", "reason", "requested_by_customer");

        assertThat(unanswered.body()).contains("Stripe is unavailable right now", "Send again");
        assertThat(refundStatus(paid.orderId())).isEqualTo("sending");
        emulator().clearFaults();
        admin.post(sendAgainPath(admin.lastPage()));

        assertThat(admin.lastPage()).contains("Refund of $3.00 made");
        emulator().releaseEvents(false);
        eventually("the held webhooks are handled", () -> "partially_refunded".equals(status(paid.orderId())));
        assertThat(refundsAtStripe(paid.orderId())).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refunds WHERE order_id = ?").param(paid.orderId()).query(Integer.class).single()).isEqualTo(1);
    }

    /**
     * After Stripe failed a refund with a 5xx, "Send again" pressed twice at once (a double click, two tabs, two
     * instances): both senders looked through Stripe's refunds before either had made one, and each then sent under a
     * new idempotency key of its own, so the buyer was refunded twice. Here the second sender works from the request
     * as both read it, while the first one's refund is still in flight at Stripe.
     */
    @Test
    void twoSendersWhoLookedAtStripeAtOnceMakeOneRefund() throws Exception {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();
        emulator().failNext("POST", "/v1/refunds$", 5, 500);
        assertThat(refund(admin, paid.orderId(), "amount", "10.00", "reason", "requested_by_customer").body())
                .contains("Stripe is unavailable right now");
        emulator().clearFaults();
        lastSentAgo(requestId(paid.orderId()), Refunds.IN_FLIGHT_AT_MOST.plusMinutes(1));
        RefundRecord lookedAt = ledger.find(requestId(paid.orderId())).orElseThrow();
        assertThat(lookedAt.lookFirst()).isTrue();

        Refunds.Sent second = sentWhileAnotherSendIsUnderWay(lookedAt);

        assertThat(second.problem()).as("the second click cannot confirm a refund still in flight").isNotNull();
        eventually("Stripe has made the first click's refund", () -> refundsAtStripe(paid.orderId()) == 1);
        admin.get("/admin/orders/" + paid.orderId());
        if (admin.lastPage().contains("/send-again\"")) {
            admin.post(sendAgainPath(admin.lastPage()));
        }
        eventually("the refund is recorded", () -> "succeeded".equals(refundStatus(paid.orderId())));
        assertThat(refundsAtStripe(paid.orderId())).as("refunds at Stripe for one request").isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refunds WHERE order_id = ?").param(paid.orderId()).query(Integer.class).single()).isEqualTo(1);
    }

    /**
     * A first try held up at Stripe past the store's wait, then its retries answered 500: the first may still land.
     * Looking through Stripe's refunds cannot see it yet, so no new key is taken until it cannot be under way; it
     * lands, and that is the one refund.
     */
    @Test
    void aTryStillUnderWayAtStripeWhenLaterOnesFailIsNeverDoubledByANewKey() throws Exception {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();
        emulator().stallNext("POST", "/v1/refunds$", 1, 60_000);
        emulator().failNext("POST", "/v1/refunds$", 5, 500);
        assertThat(refund(admin, paid.orderId(), "amount", "10.00", "reason", "requested_by_customer").body())
                .contains("Stripe is unavailable right now");
        emulator().clearFaults();

        admin.post(sendAgainPath(admin.lastPage()));

        assertThat(admin.lastPage()).contains("Stripe has not confirmed this refund yet");
        assertThat(refundsAtStripe(paid.orderId())).isZero();
        emulator().releaseStalls();
        eventually("the first try's refund is made and recorded", () -> "succeeded".equals(refundStatus(paid.orderId())));
        lastSentAgo(requestId(paid.orderId()), Refunds.IN_FLIGHT_AT_MOST.plusMinutes(1));
        admin.get("/admin/orders/" + paid.orderId());
        assertThat(admin.lastPage()).doesNotContain("/send-again\"");
        assertThat(refundsAtStripe(paid.orderId())).as("refunds at Stripe for one request").isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refunds WHERE order_id = ?").param(paid.orderId()).query(Integer.class).single()).isEqualTo(1);
    }

    /** Two senders of a day-old request: only the one that finds it as it was takes a new key; the other uses it. */
    @Test
    void twoSendersOfADayOldRequestMakeOneRefund() throws Exception {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();
        emulator().failNext("POST", "/v1/refunds$", 5, 429);
        assertThat(refund(admin, paid.orderId(), "amount", "8.00", "reason", "requested_by_customer").body())
                .contains("Stripe is unavailable right now");
        emulator().clearFaults();
        lastSentAgo(requestId(paid.orderId()), java.time.Duration.ofHours(25));
        RefundRecord readByBoth = ledger.find(requestId(paid.orderId())).orElseThrow();

        Refunds.Sent second = sentWhileAnotherSendIsUnderWay(readByBoth);

        assertThat(second.problem()).isNotNull();
        eventually("Stripe has made the first sender's refund", () -> refundsAtStripe(paid.orderId()) == 1);
        eventually("the refund is recorded", () -> "succeeded".equals(refundStatus(paid.orderId())));
        assertThat(refundsAtStripe(paid.orderId())).as("refunds at Stripe for one request").isEqualTo(1);
    }

    /**
     * Stripe keeps an idempotency key for a day. A request whose last try got no answer (a rate limit, a timeout) is
     * sent again under the same key, which returns the refund that try made; a day later Stripe may have forgotten the
     * key, so the store looks through the payment's refunds first.
     */
    @Test
    void aRequestSentAgainADayLaterFindsTheRefundItsLastTryMade() throws Exception {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();
        emulator().failNext("POST", "/v1/refunds$", 5, 429);
        assertThat(refund(admin, paid.orderId(), "amount", "4.00", "reason", "requested_by_customer").body())
                .contains("Stripe is unavailable right now");
        emulator().clearFaults();
        long request = requestId(paid.orderId());
        // What the last try made, under a key Stripe has since forgotten; its news has not reached the store.
        emulator().holdEvents();
        stripe.client().v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(intentOf(paid.orderId())).setAmount(400L)
                .putMetadata("refund_request", Long.toString(request)).build());
        lastSentAgo(request, java.time.Duration.ofHours(25));

        admin.get("/admin/orders/" + paid.orderId());
        admin.post(sendAgainPath(admin.lastPage()));

        assertThat(admin.lastPage()).contains("Refund of $4.00 made");
        emulator().releaseEvents(false);
        eventually("the refund is recorded", () -> "succeeded".equals(refundStatus(paid.orderId())));
        assertThat(refundsAtStripe(paid.orderId())).as("refunds at Stripe for one request").isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refunds WHERE order_id = ?").param(paid.orderId()).query(Integer.class).single()).isEqualTo(1);
    }

    /** A refund form's token names one order's request: sent to another order's page it refunds nothing and says so. */
    @Test
    void aRefundFormSentForAnotherOrderRefundsNothingThere() {
        Paid one = paidOrder(VISA);
        Paid other = paidOrder(VISA);
        HttpVisitor admin = admin();
        admin.get("/admin/orders/" + one.orderId());
        String[] form = withToken(admin.lastPage(), "amount", "5.00", "reason", "duplicate");
        assertThat(admin.post("/admin/orders/" + one.orderId() + "/refunds", form).body()).contains("Refund of $5.00 made");

        HttpResponse<String> elsewhere = admin.post("/admin/orders/" + other.orderId() + "/refunds", form);

        assertThat(elsewhere.body()).contains("was made for order #" + one.orderId(), "nothing was refunded")
                .doesNotContain("Refund of $5.00 made");
        assertThat(refundsAtStripe(other.orderId())).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refunds WHERE order_id = ?").param(other.orderId()).query(Integer.class).single()).isZero();
        assertThat(admin.get("/admin/orders/" + other.orderId()).body()).doesNotContain("Refund of $5.00 made");
    }

    /**
     * A refund Stripe never confirmed (here rate-limited, then left) keeps its amount set aside: after five minutes the
     * back office's first page lists it under "Needs attention" until someone sends it again.
     */
    @Test
    void aRefundStripeNeverConfirmedIsListedUntilItIsSentAgain() {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();
        emulator().failNext("POST", "/v1/refunds$", 5, 429);
        assertThat(refund(admin, paid.orderId(), "amount", "6.00", "reason", "requested_by_customer").body())
                .contains("Stripe is unavailable right now");
        emulator().clearFaults();
        String listed = "Refund not confirmed by Stripe</strong> on <a href=\"/admin/orders/" + paid.orderId() + "\"";
        assertThat(admin.get("/admin").body()).as("just asked for").doesNotContain(listed);

        lastSentAgo(requestId(paid.orderId()), java.time.Duration.ofMinutes(6));
        assertThat(admin.get("/admin").body()).contains(listed, "$6.00 asked for", "Send again");

        admin.get("/admin/orders/" + paid.orderId());
        admin.post(sendAgainPath(admin.lastPage()));
        assertThat(admin.lastPage()).contains("Refund of $6.00 made");
        assertThat(admin.get("/admin").body()).doesNotContain(listed);
    }

    /**
     * Two senders of one reading of a request: the first one's refund is held in flight at Stripe while the second
     * sends; then the first is let go. Returns how the second send ended.
     */
    private Refunds.Sent sentWhileAnotherSendIsUnderWay(RefundRecord readByBoth) {
        emulator().stallNext("POST", "/v1/refunds$", 1, 60_000);
        CompletableFuture<Refunds.Sent> first = CompletableFuture.supplyAsync(() -> refunds.send(readByBoth, "first sender"));
        eventually("the first sender's refund is under way at Stripe", () -> emulator().pendingFaultCount() == 0);
        Refunds.Sent second = refunds.send(readByBoth, "second sender");
        emulator().releaseStalls();
        first.join();
        return second;
    }

    private long requestId(long orderId) {
        return jdbc.sql("SELECT id FROM refunds WHERE order_id = ? ORDER BY id DESC").param(orderId).query(Long.class).list().get(0);
    }

    @Test
    void rateLimitingSaysSoAndChangesNothing() {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();
        emulator().failNext("POST", "/v1/refunds", 5, 429);

        HttpResponse<String> limited = refund(admin, paid.orderId(), "amount", "3.00", "reason", "requested_by_customer");

        assertThat(limited.body()).contains("Stripe is unavailable right now");
        assertThat(refundsAtStripe(paid.orderId())).isZero();
    }

    @Test
    void badRefundsAreRefusedWithAClearMessageAndNothingIsSent() {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();

        assertThat(refund(admin, paid.orderId(), "amount", "-5", "reason", "requested_by_customer").body())
                .contains("A refund must be more than zero");
        assertThat(refund(admin, paid.orderId(), "amount", "56.01", "reason", "requested_by_customer").body())
                .contains("You can refund at most $56.00");
        assertThat(refund(admin, paid.orderId(), "amount", "abc", "reason", "requested_by_customer").body())
                .contains("Enter the amount to refund as a number");
        assertThat(refund(admin, paid.orderId(), "amount", "5", "reason", "because").body())
                .contains("reason for the refund: requested by the customer, duplicate or fraudulent");
        assertThat(refund(admin, paid.orderId(), "copies_" + bookId("working-in-public"), "3", "reason", "duplicate").body())
                .contains("You can refund at most 2 copies");
        assertThat(refund(admin, paid.orderId(), "reason", "duplicate").body()).contains("Enter an amount to refund, or choose the books");

        assertThat(refundsAtStripe(paid.orderId())).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refunds WHERE order_id = ?").param(paid.orderId()).query(Integer.class).single()).isZero();
        assertThat(status(paid.orderId())).isEqualTo("paid");
        assertThat(admin.get("/admin/orders/" + paid.orderId()).body()).contains("Refund of -5");
    }

    @Test
    void anUnpaidOrderCannotBeRefunded() {
        HttpVisitor buyer = new HttpVisitor(baseUrl());
        buyer.register("Cart Only", "cart-" + java.util.UUID.randomUUID() + "@example.com", "correct horse battery");
        buyer.get("/books/working-in-public");
        buyer.post("/cart/add", "bookId", Long.toString(bookId("working-in-public")), "quantity", "1");
        buyer.get("/checkout");
        HttpResponse<String> hosted = buyer.post("/checkout/pay");
        String session = hosted.uri().getPath().substring(hosted.uri().getPath().lastIndexOf('/') + 1);
        long order = jdbc.sql("SELECT order_id FROM checkout_attempts WHERE checkout_session_id = ?").param(session).query(Long.class).single();
        HttpVisitor admin = admin();

        admin.get("/admin/orders/" + order);
        HttpResponse<String> refused = admin.post("/admin/orders/" + order + "/refunds", "amount", "5", "reason", "duplicate",
                "token", java.util.UUID.randomUUID().toString());

        assertThat(refused.body()).contains("has not been paid, so there is nothing to refund");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refunds").query(Integer.class).single()).isGreaterThanOrEqualTo(0);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refunds WHERE order_id = ?").param(order).query(Integer.class).single()).isZero();
    }

    @Test
    void aRefundThatStartsPendingSucceedsLater() {
        Paid paid = paidOrder(REFUND_PENDING);
        HttpVisitor admin = admin();

        assertThat(refund(admin, paid.orderId(), "amount", "6.00", "reason", "requested_by_customer").body()).contains("Stripe is processing it");
        assertThat(refundStatus(paid.orderId())).isEqualTo("pending");
        assertThat(status(paid.orderId())).isEqualTo("paid");
        assertThat(paid.buyer().get("/orders/" + paid.orderId()).body()).contains("Refund pending");

        emulator().advanceClock(5);

        eventually("the refund succeeded", () -> "succeeded".equals(refundStatus(paid.orderId())));
        eventually("the order is partially refunded", () -> "partially_refunded".equals(status(paid.orderId())));
        assertThat(paid.buyer().get("/orders/" + paid.orderId()).body()).contains("Refunded");
    }

    @Test
    void aRefundThatFailsAfterSucceedingIsShownAndListedUnderNeedsAttention() {
        Paid paid = paidOrder(REFUND_FAILS);
        HttpVisitor admin = admin();
        refund(admin, paid.orderId(), "all", "true", "reason", "requested_by_customer");
        eventually("refunded", () -> "refunded".equals(status(paid.orderId())));

        emulator().advanceClock(5);

        eventually("the refund failed", () -> "failed".equals(refundStatus(paid.orderId())));
        eventually("the failure is in the timeline", () -> paid.buyer().get("/orders/" + paid.orderId()).body().contains("did not go through"));
        assertThat(status(paid.orderId())).as("the status never moves back").isEqualTo("refunded");
        assertThat(admin.get("/admin").body()).contains("Refund failed", "order #" + paid.orderId(), "expired or was cancelled");
        assertThat(admin.get("/admin/orders/" + paid.orderId()).body()).contains("$56.00");
    }

    @Test
    void aRefundMadeInStripesDashboardAppearsOnTheOrder() throws Exception {
        Paid paid = paidOrder(VISA);
        String intent = intentOf(paid.orderId());

        Refund outside = stripe.client().v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(intent).setAmount(1500L).build());

        eventually("the order is partially refunded", () -> "partially_refunded".equals(status(paid.orderId())));
        String adminPage = admin().get("/admin/orders/" + paid.orderId()).body();
        assertThat(adminPage).contains(outside.getId(), "$15.00", "outside the store");
        assertThat(paid.buyer().get("/orders/" + paid.orderId()).body()).contains("$15.00", "Refunded");
    }

    private static String sendAgainPath(String page) {
        java.util.regex.Matcher form = java.util.regex.Pattern.compile("action=\"(/admin/orders/\\d+/refunds/\\d+/send-again)\"").matcher(page);
        assertThat(form.find()).as("the page offers to send the refund again").isTrue();
        return form.group(1);
    }
}
