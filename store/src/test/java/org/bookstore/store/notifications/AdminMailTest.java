package org.bookstore.store.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.time.Instant;
import java.util.List;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.DisputeOpened;
import org.bookstore.store.payments.PaymentNeedsAttention;
import org.bookstore.store.payments.RefundFailed;
import org.bookstore.store.support.SmtpServer.Received;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What needs a person reaches the shop's admins: the configured address and every account whose role is ADMIN. The
 * events are published as the payments module publishes them, inside a transaction, through the real registry.
 */
class AdminMailTest extends MailScenarios {

    private static final String CONFIGURED_ADMIN = "admins@bookstore.test";

    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void aDisputeReachesTheConfiguredAddressAndEveryAdminAccountWithAmountReasonAndDueDate() {
        Shopper admin = shopperWithCart();
        jdbc.sql("UPDATE accounts SET role = 'ADMIN' WHERE email = ?").param(admin.email()).update();
        Shopper buyer = shopperWithCart();
        long order = pay(buyer);
        Instant due = Instant.parse("2031-05-04T12:00:00Z");

        publish(new DisputeOpened(order, "dp_test_" + order, Money.of(7100, "USD"), "product_not_received", due, "charge.dispute.created"));

        eventually("the dispute mail was sent", () -> jdbc.sql("SELECT status FROM outgoing_mail WHERE kind = 'dispute-opened' AND order_id = ?")
                .param(order).query(String.class).optional().orElse("").equals("sent"));
        for (String address : List.of(CONFIGURED_ADMIN, admin.email())) {
            List<Received> mails = mailsTo(address, "Dispute on order #" + order);
            assertThat(mails).as("to %s", address).hasSize(1);
            assertThat(mails.get(0).subject()).isEqualTo("Dispute on order #" + order + ": $71.00, product not received");
            assertThat(mails.get(0).text()).contains("Amount: $71.00", "Reason: product not received", "Evidence due by: 4 May 2031",
                    "Buyer: " + buyer.email(), "Dispute: dp_test_" + order, "http://localhost:" + port + "/admin/orders/" + order);
        }
        assertThat(mailsTo(buyer.email(), "Dispute")).as("the buyer is not told of the admins' business").isEmpty();
    }

    @Test
    void aPaymentThatDidNotMatchItsOrderAndAFailedRefundAreToldToTheAdmins() {
        Shopper buyer = shopperWithCart();
        long order = pay(buyer);

        publish(new PaymentNeedsAttention("AMOUNT_MISMATCH", order, "pi_mismatch_" + order,
                "Payment pi_mismatch_" + order + " received 100 USD but order #" + order + " charges 7100 USD; the order was not marked paid."));
        publish(new RefundFailed(order, "re_failed_" + order, Money.of(2300, "USD"), "expired_or_canceled_card", "refund.failed"));

        eventually("both mails reached the admins", () -> !mailsTo(CONFIGURED_ADMIN, "A payment did not match its order (order #" + order).isEmpty()
                && !mailsTo(CONFIGURED_ADMIN, "Refund of $23.00 for order #" + order + " failed").isEmpty());
        assertThat(mailsTo(CONFIGURED_ADMIN, "A payment did not match its order (order #" + order + ")").get(0).text())
                .contains("received 100 USD but order #" + order + " charges 7100 USD", "Stripe object: pi_mismatch_" + order);
        assertThat(mailsTo(CONFIGURED_ADMIN, "Refund of $23.00 for order #" + order).get(0).text())
                .contains("could not return the money to the buyer's card: expired or canceled card", "Refund: re_failed_" + order);
    }

    private void publish(Object event) {
        transactions.executeWithoutResult(status -> events.publishEvent(event));
    }
}
