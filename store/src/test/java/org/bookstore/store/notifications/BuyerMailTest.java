package org.bookstore.store.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bookstore.store.common.Money;
import org.bookstore.store.common.Times;
import org.bookstore.store.payments.RefundSucceeded;
import org.bookstore.store.support.SmtpServer.Received;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/** The buyer's mails, sent through a real SMTP server: receipt, refund notice, failed payment notice, welcome. */
class BuyerMailTest extends MailScenarios {

    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    Times times;

    @Test
    void payingWithAVisaCardSendsExactlyOneReceiptWithTheLinesTotalChargeIdAndLinks() {
        Shopper shopper = shopperWithCart();

        long order = pay(shopper);

        awaitSent("receipt", order);
        List<Received> receipts = mailsTo(shopper.email(), "Your receipt");
        assertThat(receipts).hasSize(1);
        Received receipt = receipts.get(0);
        String chargeId = chargeId(order);
        assertThat(receipt.subject()).isEqualTo("Your receipt for order #" + order + " ($71.00)");
        assertThat(receipt.from()).contains("bookstore@localhost");
        assertThat(receipt.text()).contains("Hello Mail Reader", "Order #" + order,
                "2 x The Art of Doing Science and Engineering, $23.00 each: $46.00",
                "1 x The Making of Prince of Persia: Journals 1985-1993, $25.00 each: $25.00",
                "Total: $71.00", "Payment reference: " + chargeId,
                "Your order: http://localhost:" + port + "/orders/" + order,
                "Stripe's receipt for your card payment: http://localhost:");
        Instant paidAt = jdbc.sql("SELECT changed_at FROM order_status_changes WHERE order_id = ? AND to_status = 'paid'").param(order)
                .query(java.sql.Timestamp.class).single().toInstant();
        assertThat(receipt.text()).contains("We received your payment of $71.00 on " + times.of(paidAt) + ".");
        assertThat(receipt.html()).contains("$71.00", chargeId, "href=\"http://localhost:" + port + "/orders/" + order + "\"",
                "/receipts/" + chargeId);
        assertThat(receipt.messageId()).matches("<receipt\\.order-" + order + "\\.[0-9a-f]{12}@localhost>")
                .isEqualTo(jdbc.sql("SELECT message_id FROM outgoing_mail WHERE kind = 'receipt' AND order_id = ?").param(order)
                        .query(String.class).single());
    }

    @Test
    void registeringSendsAWelcome() {
        Shopper shopper = shopperWithCart();

        eventually("the welcome arrived", () -> !mailsTo(shopper.email(), "Welcome to Bookstore").isEmpty());

        Received welcome = mailsTo(shopper.email(), "Welcome to Bookstore").get(0);
        assertThat(welcome.text()).contains("Welcome, Mail Reader!", "You log in with " + shopper.email());
        assertThat(welcome.html()).contains("Browse the books");
    }

    @Test
    void aRefundSendsOneRefundNoticeEvenWhenItsEventArrivesTwice() {
        Shopper shopper = shopperWithCart();
        long order = pay(shopper);
        RefundSucceeded refund = new RefundSucceeded(order, "re_test_" + order, Money.of(2500, "USD"), "refund.updated evt_1");

        transactions.executeWithoutResult(status -> events.publishEvent(refund));
        awaitSent("refund", order);
        transactions.executeWithoutResult(status -> events.publishEvent(refund));
        eventually("the repeated event was handled", () -> jdbc.sql("SELECT COUNT(*) FROM event_publication").query(Integer.class).single() == 0);

        List<Received> notices = mailsTo(shopper.email(), "Refund of");
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).subject()).isEqualTo("Refund of $25.00 for order #" + order);
        assertThat(notices.get(0).text()).contains("We have refunded $25.00 for order #" + order, "Refund reference: re_test_" + order);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outgoing_mail WHERE kind = 'refund' AND order_id = ?").param(order)
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void aDeclineFollowedBySuccessOnTheSamePageSendsTheReceiptAndNoFailureNotice() {
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(hostedPage);
        assertThat(payOnHostedPage(shopper, hostedPage, DECLINED).body()).contains("Your card was declined.");
        eventually("the failure notice waits", () -> mailStatus("payment-failed", order).equals("pending"));

        assertThat(payOnHostedPage(shopper, hostedPage, VISA).body()).contains("Your payment was received");
        awaitSent("receipt", order);
        courier.sendDue(Instant.now().plus(Duration.ofHours(2)));

        assertThat(mailStatus("payment-failed", order)).isEqualTo("dropped");
        assertThat(mailsTo(shopper.email(), "Your payment for order")).isEmpty();
        assertThat(mailsTo(shopper.email(), "Your receipt")).hasSize(1);
    }

    @Test
    void aBuyerWhoLeavesAfterADeclineIsToldLaterWithALinkBackToPay() {
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(hostedPage);
        payOnHostedPage(shopper, hostedPage, DECLINED);
        eventually("the failure notice waits", () -> mailStatus("payment-failed", order).equals("pending"));
        courier.sendDue(Instant.now());
        assertThat(mailsTo(shopper.email(), "Your payment for order")).as("not before the buyer had time to try again").isEmpty();

        courier.sendDue(Instant.now().plus(Duration.ofHours(2)));

        List<Received> notices = mailsTo(shopper.email(), "Your payment for order");
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).subject()).isEqualTo("Your payment for order #" + order + " did not go through");
        assertThat(notices.get(0).text()).contains("did not go through: Your card was declined.", "Nothing was charged",
                "http://localhost:" + port + "/orders/" + order);
        assertThat(shopper.browser().get("/orders/" + order).body()).as("the link leads to paying again").contains("Try again");
    }

    @Test
    void aBuyerWhoPaysAgainAndAgainAfterDeclinesIsToldOnce() {
        Shopper shopper = shopperWithCart();
        long order = 0;
        for (int payment = 0; payment < 4; payment++) {
            HttpResponse<String> hostedPage = startCheckout(shopper);
            order = orderOf(hostedPage);
            payOnHostedPage(shopper, hostedPage, DECLINED);
            long declined = order;
            int failures = payment + 1;
            eventually("the decline is recorded", () -> jdbc.sql("SELECT COUNT(*) FROM outgoing_mail WHERE kind = 'payment-failed' "
                    + "AND order_id = ?").param(declined).query(Integer.class).single() == failures);
            if (payment < 3) {
                shopper.browser().get("/orders/" + order);
                shopper.browser().post("/checkout/cancel", "order", Long.toString(order));
            }
        }
        courier.sendDue(Instant.now().plus(Duration.ofHours(2)));

        assertThat(mailsTo(shopper.email(), "Your payment for order")).as("one notice for four declined payments").hasSize(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outgoing_mail WHERE kind = 'payment-failed' AND order_id = ? AND status = 'dropped'")
                .param(order).query(Integer.class).single()).isEqualTo(3);
    }
}
