package org.bookstore.store.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;

/**
 * A payment made with the test card that is disputed: the dispute is recorded beside the order with its due date,
 * the shop owner answers it or accepts it through Stripe's API, and the order's status never moves.
 */
class DisputesTest extends BackOfficeScenarios {

    @Test
    void aDisputeIsShownWithItsDueDateAndWinningEvidenceWinsIt() {
        Paid paid = disputedOrder();
        HttpVisitor admin = admin();

        String orderPage = admin.get("/admin/orders/" + paid.orderId()).body();
        assertThat(orderPage).contains("needs response", "fraudulent", "Evidence due by", "withdrawn", "dp_");
        assertThat(admin.get("/admin").body()).contains("Open dispute", "order #" + paid.orderId(), "evidence due by");
        assertThat(paid.buyer().get("/orders/" + paid.orderId()).body()).as("disputes are for the shop owner's eyes").doesNotContain("ispute");

        HttpResponse<String> answered = admin.post(evidencePath(orderPage), "productDescription", "A paperback book, Working in Public.",
                "customerCommunication", "The buyer thanked us for the fast delivery. winning_evidence", "receipt", "Order receipt sent by email.",
                "refundPolicy", "Shown at checkout: 30 days.", "shippingOrAccess", "Delivered by post, tracking 123.", "submit", "true");

        assertThat(answered.body()).contains("The evidence was submitted", "under review");
        emulator().advanceClock(5);
        eventually("the dispute is won", () -> "won".equals(disputeStatus(paid.orderId())));
        assertThat(admin.get("/admin/orders/" + paid.orderId()).body()).contains("won", "withdrawn, then reinstated", "Dispute closed: won");
        assertThat(status(paid.orderId())).isEqualTo("paid");
        assertThat(emulator().objectsJson("dispute")).anyMatch(json -> json.contains("Working in Public")
                && json.contains("Customer communication:"));
        assertThat(admin.get("/admin").body()).doesNotContain("Open dispute");
    }

    @Test
    void acceptingADisputeClosesItAsLostAndLeavesTheOrderAsItWas() {
        Paid paid = disputedOrder();
        HttpVisitor admin = admin();
        String orderPage = admin.get("/admin/orders/" + paid.orderId()).body();

        HttpResponse<String> accepted = admin.post(evidencePath(orderPage).replace("/evidence", "/accept"));

        assertThat(accepted.body()).contains("closed as lost");
        assertThat(disputeStatus(paid.orderId())).isEqualTo("lost");
        assertThat(status(paid.orderId())).isEqualTo("paid");
        assertThat(refund(admin, paid.orderId(), "amount", "5", "reason", "fraudulent").body())
                .as("a disputed charge cannot be refunded as well").contains("disputed");
    }

    @Test
    void evidenceWithNothingInItIsRefused() {
        Paid paid = disputedOrder();
        HttpVisitor admin = admin();
        String orderPage = admin.get("/admin/orders/" + paid.orderId()).body();

        assertThat(admin.post(evidencePath(orderPage), "productDescription", " ", "submit", "true").body())
                .contains("Write at least one piece of evidence");
        assertThat(admin.post(evidencePath(orderPage), "productDescription", "x".repeat(4001), "submit", "true").body())
                .contains("at most 4000 characters");
        assertThat(disputeStatus(paid.orderId())).isEqualTo("needs_response");
    }

    /**
     * Submitting evidence in one tab and accepting the dispute in another, at once: both went to Stripe and both admins
     * were told they had succeeded, the winning evidence conceded a moment later. One answer is sent, the other refused,
     * however the two requests interleave.
     */
    @Test
    void twoTabsAnsweringOneDisputeAtOnceSendOneAnswer() throws Exception {
        Paid paid = disputedOrder();
        HttpVisitor first = admin();
        HttpVisitor second = admin();
        String evidence = evidencePath(first.get("/admin/orders/" + paid.orderId()).body());
        second.get("/admin/orders/" + paid.orderId());
        String dispute = evidence.replaceAll(".*/disputes/(dp_\\w+)/.*", "$1");

        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService tabs = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var submitted = tabs.submit(() -> {
                go.await();
                return first.post(evidence, "customerCommunication", "winning_evidence", "submit", "true").body();
            });
            var accepted = tabs.submit(() -> {
                go.await();
                return second.post(evidence.replace("/evidence", "/accept")).body();
            });
            go.countDown();
            boolean evidenceSent = submitted.get().contains("The evidence was submitted");
            boolean acceptSent = accepted.get().contains("closed as lost");

            assertThat(evidenceSent ^ acceptSent).as("exactly one answer was sent:\n%s\n%s",
                    submitted.get().contains("was not sent") || submitted.get().contains("nothing was sent"),
                    accepted.get().contains("was not sent") || accepted.get().contains("nothing was sent")).isTrue();
            assertThat(evidenceSent ? accepted.get() : submitted.get()).containsAnyOf("so this one was not sent", "so nothing was sent");
            String atStripe = emulator().objectsJson("dispute").stream().filter(json -> json.contains(dispute)).findFirst().orElseThrow();
            assertThat(atStripe).contains(evidenceSent ? "\"status\":\"under_review\"" : "\"status\":\"lost\"");
            assertThat(atStripe).contains(evidenceSent ? "\"submission_count\":1" : "\"submission_count\":0");
        } finally {
            tabs.shutdownNow();
        }
    }

    /** An answer another instance or admin is sending is not sent again; one older than that is taken as ended. */
    @Test
    void anAnswerAlreadyOnItsWayIsNotSentTwice() {
        Paid paid = disputedOrder();
        HttpVisitor admin = admin();
        String evidence = evidencePath(admin.get("/admin/orders/" + paid.orderId()).body());
        jdbc.sql("UPDATE disputes SET answering_since = CURRENT_TIMESTAMP WHERE order_id = ?").param(paid.orderId()).update();

        assertThat(admin.post(evidence, "customerCommunication", "winning_evidence", "submit", "true").body())
                .contains("Another answer to this dispute is on its way to Stripe");
        assertThat(admin.post(evidence.replace("/evidence", "/accept")).body())
                .contains("Another answer to this dispute is on its way to Stripe");
        assertThat(disputeStatus(paid.orderId())).isEqualTo("needs_response");

        jdbc.sql("UPDATE disputes SET answering_since = ? WHERE order_id = ?")
                .params(java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofMinutes(6))), paid.orderId()).update();
        assertThat(admin.post(evidence, "customerCommunication", "winning_evidence", "submit", "true").body())
                .contains("The evidence was submitted");
        assertThat(admin.post(evidence.replace("/evidence", "/accept")).body())
                .as("once evidence is submitted the bank decides: the dispute is no longer offered to be conceded")
                .contains("This dispute can no longer be accepted (it is under review)");
        assertThat(disputeStatus(paid.orderId())).isEqualTo("under_review");
    }

    /**
     * Stripe closed the dispute but its reply never came (a timeout): the admin and the audit trail were told "nothing
     * was sent" while the dispute was lost. They are told Stripe did not confirm it, and the dispute is held for that
     * answer until Stripe reports it.
     */
    @Test
    void anAcceptWhoseReplyNeverCameIsNotCalledNotSent() {
        Paid paid = disputedOrder();
        HttpVisitor admin = admin();
        String accept = evidencePath(admin.get("/admin/orders/" + paid.orderId()).body()).replace("/evidence", "/accept");
        emulator().hangNext("POST", "/v1/disputes", 2, 3_000);

        String answer = admin.post(accept).body();

        assertThat(answer).contains("Stripe did not confirm it").doesNotContain("nothing was sent");
        assertThat(jdbc.sql("SELECT detail FROM admin_actions WHERE order_id = ? AND action = 'dispute_accepted'").param(paid.orderId())
                .query(String.class).single()).contains("did not confirm").doesNotContain("nothing was sent");
        assertThat(admin.post(accept).body()).contains("Another answer to this dispute is on its way");
        eventually("Stripe's events say the dispute is lost", () -> "lost".equals(disputeStatus(paid.orderId())));
    }

    /** An order paid with the card that is disputed, once the store has recorded its dispute. */
    Paid disputedOrder() {
        Paid paid = paidOrder(DISPUTED);
        emulator().advanceClock(5);
        eventually("the dispute is recorded", () -> disputeStatus(paid.orderId()) != null);
        return paid;
    }

    String disputeStatus(long orderId) {
        return jdbc.sql("SELECT status FROM disputes WHERE order_id = ?").param(orderId).query(String.class).optional().orElse(null);
    }

    static String evidencePath(String page) {
        java.util.regex.Matcher form = java.util.regex.Pattern.compile("action=\"(/admin/orders/\\d+/disputes/dp_\\w+/evidence)\"").matcher(page);
        assertThat(form.find()).as("the page has the evidence form").isTrue();
        return form.group(1);
    }
}
