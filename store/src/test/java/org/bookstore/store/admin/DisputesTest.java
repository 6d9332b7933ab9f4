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
        Paid paid = paidOrder(DISPUTED);
        emulator().advanceClock(5);
        eventually("the dispute is recorded", () -> disputeStatus(paid.orderId()) != null);
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
        Paid paid = paidOrder(DISPUTED);
        emulator().advanceClock(5);
        eventually("the dispute is recorded", () -> disputeStatus(paid.orderId()) != null);
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
        Paid paid = paidOrder(DISPUTED);
        emulator().advanceClock(5);
        eventually("the dispute is recorded", () -> disputeStatus(paid.orderId()) != null);
        HttpVisitor admin = admin();
        String orderPage = admin.get("/admin/orders/" + paid.orderId()).body();

        assertThat(admin.post(evidencePath(orderPage), "productDescription", " ", "submit", "true").body())
                .contains("Write at least one piece of evidence");
        assertThat(admin.post(evidencePath(orderPage), "productDescription", "x".repeat(4001), "submit", "true").body())
                .contains("at most 4000 characters");
        assertThat(disputeStatus(paid.orderId())).isEqualTo("needs_response");
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
