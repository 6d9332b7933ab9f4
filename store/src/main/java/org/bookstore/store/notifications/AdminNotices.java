package org.bookstore.store.notifications;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bookstore.store.accounts.Contacts;
import org.bookstore.store.common.PublicUrl;
import org.bookstore.store.common.Times;
import org.bookstore.store.orders.OrderRepository;
import org.bookstore.store.payments.DisputeOpened;
import org.bookstore.store.payments.PaymentNeedsAttention;
import org.bookstore.store.payments.RefundFailed;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * The admins' mails: what needs a person. They go to every account whose role is ADMIN and to
 * {@code bookstore.notifications.admin-email}, as one message; with nobody to send to they are still kept for the
 * "Sent mail" page. Queued once per Message-ID, as the buyer's are.
 */
@Component
class AdminNotices {

    private final Contacts contacts;
    private final OrderRepository orders;
    private final Letters letters;
    private final MessageIds messageIds;
    private final MailCourier courier;
    private final MailSettings settings;
    private final PublicUrl publicUrl;
    private final Times times;
    private final Clock clock;

    AdminNotices(Contacts contacts, OrderRepository orders, Letters letters, MessageIds messageIds, MailCourier courier,
            MailSettings settings, PublicUrl publicUrl, Times times, Clock clock) {
        this.contacts = contacts;
        this.orders = orders;
        this.letters = letters;
        this.messageIds = messageIds;
        this.courier = courier;
        this.settings = settings;
        this.publicUrl = publicUrl;
        this.times = times;
        this.clock = clock;
    }

    @ApplicationModuleListener(id = "notifications.dispute-opened", propagation = Propagation.NOT_SUPPORTED)
    void on(DisputeOpened dispute) {
        String messageId = messageIds.of("dispute.order-" + dispute.orderId() + "." + dispute.disputeId());
        if (courier.hasQueued(messageId)) {
            return;
        }
        Map<String, Object> model = model(dispute.orderId());
        model.put("disputeId", dispute.disputeId());
        model.put("amount", dispute.amount().display());
        model.put("reason", readable(dispute.reason()));
        model.put("evidenceDueBy", dispute.evidenceDueBy() == null ? null : times.of(dispute.evidenceDueBy()));
        send("dispute-opened", messageId, dispute.orderId(), "Dispute on order #" + dispute.orderId() + ": "
                + dispute.amount().display() + ", " + readable(dispute.reason()), model);
    }

    @ApplicationModuleListener(id = "notifications.payment-needs-attention", propagation = Propagation.NOT_SUPPORTED)
    void on(PaymentNeedsAttention attention) {
        String messageId = messageIds.of("attention." + attention.kind().toLowerCase() + "." + attention.stripeObjectId());
        if (courier.hasQueued(messageId)) {
            return;
        }
        Map<String, Object> model = attention.orderId() == null ? new HashMap<>() : model(attention.orderId());
        model.put("detail", attention.detail());
        model.put("stripeObjectId", attention.stripeObjectId());
        String what = switch (attention.kind()) {
            case "AMOUNT_MISMATCH" -> "A payment did not match its order";
            case "PAID_AFTER_CLOSE" -> "A payment arrived after its checkout had closed";
            case "FOREIGN_PAYMENT" -> "A payment the store did not make names one of its orders";
            default -> "A payment needs attention";
        };
        model.put("headline", what);
        send("payment-needs-attention", messageId, attention.orderId(),
                what + (attention.orderId() == null ? "" : " (order #" + attention.orderId() + ")"), model);
    }

    @ApplicationModuleListener(id = "notifications.refund-failed", propagation = Propagation.NOT_SUPPORTED)
    void on(RefundFailed failed) {
        String messageId = messageIds.of("refund-failed.order-" + failed.orderId() + "." + failed.refundId());
        if (courier.hasQueued(messageId)) {
            return;
        }
        Map<String, Object> model = model(failed.orderId());
        model.put("refundId", failed.refundId());
        model.put("amount", failed.amount().display());
        model.put("reason", readable(failed.reason()));
        send("refund-failed", messageId, failed.orderId(), "Refund of " + failed.amount().display() + " for order #"
                + failed.orderId() + " failed", model);
    }

    /** Where the admins' mails go: ADMIN accounts first, then the configured addresses, each once. */
    List<String> admins() {
        Set<String> addresses = new LinkedHashSet<>(contacts.adminEmails());
        addresses.addAll(settings.adminEmail());
        return List.copyOf(addresses);
    }

    private void send(String kind, String messageId, Long orderId, String subject, Map<String, Object> model) {
        Letters.Letter letter = letters.write(kind, model);
        courier.queue(new Mail(kind, messageId, orderId, admins(), subject, letter.text(), letter.html(), clock.instant(), false));
    }

    private Map<String, Object> model(long orderId) {
        Map<String, Object> model = new HashMap<>();
        model.put("orderId", orderId);
        model.put("orderUrl", publicUrl.get() + settings.adminOrderPath().replace("{id}", Long.toString(orderId)));
        orders.findById(orderId).ifPresent(order -> {
            model.put("orderTotal", order.total().display());
            model.put("lines", order.lines().stream().map(line -> new BuyerNotices.Line(line.title(), line.quantity(),
                    line.unitPrice().display(), line.total().display())).toList());
            if (order.accountId() != null) {
                contacts.of(order.accountId()).ifPresent(buyer -> model.put("buyerEmail", buyer.email()));
            }
        });
        return model;
    }

    /** Stripe's codes as words: {@code product_not_received} reads "product not received". */
    private static String readable(String code) {
        return code == null || code.isBlank() ? "no reason given" : code.replace('_', ' ');
    }
}
