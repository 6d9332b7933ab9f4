package org.bookstore.store.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bookstore.store.accounts.AccountRegistered;
import org.bookstore.store.accounts.Contacts;
import org.bookstore.store.accounts.Contacts.Contact;
import org.bookstore.store.common.PublicUrl;
import org.bookstore.store.common.Times;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderRepository;
import org.bookstore.store.orders.OrderStatus;
import org.bookstore.store.orders.StatusChange;
import org.bookstore.store.payments.ChargeReceipts;
import org.bookstore.store.payments.OrderPaid;
import org.bookstore.store.payments.PaymentFailed;
import org.bookstore.store.payments.RefundSucceeded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * The buyer's mails. Each listener runs after the change that published its event has committed, on a background
 * thread, and only queues its mail: an event handled again (resubmitted after a crash, or by another instance) finds
 * the mail's Message-ID already queued and does nothing. Listener ids are fixed, because unfinished publications
 * are stored under them and must still find their listener after a rename.
 */
@Component
class BuyerNotices {

    private static final Logger log = LoggerFactory.getLogger(BuyerNotices.class);

    private final OrderRepository orders;
    private final Contacts contacts;
    private final ChargeReceipts receipts;
    private final Letters letters;
    private final MessageIds messageIds;
    private final MailCourier courier;
    private final MailSettings settings;
    private final PublicUrl publicUrl;
    private final Times times;
    private final Clock clock;

    BuyerNotices(OrderRepository orders, Contacts contacts, ChargeReceipts receipts, Letters letters, MessageIds messageIds,
            MailCourier courier, MailSettings settings, PublicUrl publicUrl, Times times, Clock clock) {
        this.orders = orders;
        this.contacts = contacts;
        this.receipts = receipts;
        this.letters = letters;
        this.messageIds = messageIds;
        this.courier = courier;
        this.settings = settings;
        this.publicUrl = publicUrl;
        this.times = times;
        this.clock = clock;
    }

    /**
     * One line of an order as a mail shows it, amounts already in the order's currency format. Public: the template
     * reads it through Spring's expression language, which, for a type that is not public, looks for each accessor
     * again in its public supertypes on every mail, throwing and catching an exception for each.
     */
    public record Line(String title, int quantity, String unitPrice, String total) {
    }

    @ApplicationModuleListener(id = "notifications.receipt", propagation = Propagation.NOT_SUPPORTED)
    void on(OrderPaid paid) {
        String messageId = messageIds.of("receipt.order-" + paid.orderId());
        if (courier.hasQueued(messageId)) {
            return;
        }
        Optional<Buyer> buyer = buyerOf(paid.orderId());
        if (buyer.isEmpty()) {
            return;
        }
        Order order = buyer.get().order();
        Map<String, Object> model = model(buyer.get());
        model.put("total", paid.amount().display());
        model.put("chargeId", paid.chargeId());
        // When the order became paid, not when this runs: after a crash the receipt is written later.
        model.put("paidAt", times.of(orders.timeline(order.id()).stream().filter(change -> change.to() == OrderStatus.PAID)
                .map(StatusChange::at).findFirst().orElse(clock.instant())));
        // Stripe's own receipt is a courtesy: if Stripe cannot be asked now, the store's receipt goes out without it.
        model.put("receiptUrl", receipts.receiptUrl(paid.chargeId()).orElse(null));
        Letters.Letter letter = letters.write("receipt", model);
        courier.queue(new Mail("receipt", messageId, order.id(), List.of(buyer.get().contact().email()),
                "Your receipt for order #" + order.id() + " (" + paid.amount().display() + ")", letter.text(), letter.html(),
                clock.instant(), false));
    }

    @ApplicationModuleListener(id = "notifications.refund", propagation = Propagation.NOT_SUPPORTED)
    void on(RefundSucceeded refund) {
        String messageId = messageIds.of("refund.order-" + refund.orderId() + "." + refund.refundId());
        if (courier.hasQueued(messageId)) {
            return;
        }
        Optional<Buyer> buyer = buyerOf(refund.orderId());
        if (buyer.isEmpty()) {
            return;
        }
        Map<String, Object> model = model(buyer.get());
        model.put("amount", refund.amount().display());
        model.put("refundId", refund.refundId());
        Letters.Letter letter = letters.write("refund", model);
        courier.queue(new Mail("refund", messageId, refund.orderId(), List.of(buyer.get().contact().email()),
                "Refund of " + refund.amount().display() + " for order #" + refund.orderId(), letter.text(), letter.html(),
                clock.instant(), false));
    }

    /**
     * Told only if the order is still waiting for its payment some minutes later: a buyer who stays on the page and
     * pays with another card gets their receipt and nothing else. Another failure of the same attempt pushes the
     * notice back, so it goes out once the buyer has stopped trying; a failure of a new payment for the order replaces
     * the notice still waiting for an earlier one, so trying again and again ends in one mail, not one a payment.
     */
    @ApplicationModuleListener(id = "notifications.payment-failed", propagation = Propagation.NOT_SUPPORTED)
    void on(PaymentFailed failed) {
        String messageId = messageIds.of("payment-failed.order-" + failed.orderId() + ".attempt-" + failed.attemptId());
        Instant due = clock.instant().plus(settings.paymentFailedAfter());
        if (courier.hasQueued(messageId)) {
            courier.postpone(messageId, due);
            return;
        }
        Optional<Buyer> buyer = buyerOf(failed.orderId());
        if (buyer.isEmpty()) {
            return;
        }
        Map<String, Object> model = model(buyer.get());
        model.put("reason", failed.reason());
        Letters.Letter letter = letters.write("payment-failed", model);
        courier.queue(new Mail("payment-failed", messageId, failed.orderId(), List.of(buyer.get().contact().email()),
                "Your payment for order #" + failed.orderId() + " did not go through", letter.text(), letter.html(), due, true));
        courier.dropWaiting("payment-failed", failed.orderId(), messageId, "replaced by the notice of a later payment's failure");
    }

    @ApplicationModuleListener(id = "notifications.welcome", propagation = Propagation.NOT_SUPPORTED)
    void on(AccountRegistered registered) {
        String messageId = messageIds.of("welcome.account-" + registered.accountId());
        if (courier.hasQueued(messageId)) {
            return;
        }
        Optional<Contact> contact = contacts.of(registered.accountId());
        if (contact.isEmpty()) {
            log.warn("No account {} to welcome", registered.accountId());
            return;
        }
        Map<String, Object> model = new HashMap<>();
        model.put("buyerName", contact.get().name());
        model.put("email", contact.get().email());
        model.put("shopUrl", publicUrl.get() + "/");
        model.put("ordersUrl", publicUrl.get() + "/orders");
        Letters.Letter letter = letters.write("welcome", model);
        courier.queue(new Mail("welcome", messageId, null, List.of(contact.get().email()), "Welcome to " + settings.shopName(),
                letter.text(), letter.html(), clock.instant(), false));
    }

    /** An order with the account it belongs to. */
    private record Buyer(Order order, Contact contact) {
    }

    private Optional<Buyer> buyerOf(long orderId) {
        Optional<Order> order = orders.findById(orderId).filter(found -> found.accountId() != null);
        Optional<Buyer> buyer = order.flatMap(found -> contacts.of(found.accountId()).map(contact -> new Buyer(found, contact)));
        if (buyer.isEmpty()) {
            log.warn("No buyer to write to for order {}", orderId);
        }
        return buyer;
    }

    private Map<String, Object> model(Buyer buyer) {
        Order order = buyer.order();
        Map<String, Object> model = new HashMap<>();
        model.put("buyerName", buyer.contact().name());
        model.put("orderId", order.id());
        model.put("lines", order.lines().stream()
                .map(line -> new Line(line.title(), line.quantity(), line.unitPrice().display(), line.total().display())).toList());
        model.put("orderTotal", order.total().display());
        model.put("orderUrl", publicUrl.get() + "/orders/" + order.id());
        return model;
    }
}
