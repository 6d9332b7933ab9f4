package org.bookstore.store.notifications;

import java.time.Instant;
import java.util.List;

/**
 * One email to queue: what it is about ({@code kind}, {@code orderId}), its stable Message-ID, who receives it,
 * both of its parts, and from when it may be sent. {@code onlyIfOrderUnpaid}: dropped if the order has been paid
 * (or given up) by then.
 */
record Mail(String kind, String messageId, Long orderId, List<String> recipients, String subject, String text,
        String html, Instant sendAfter, boolean onlyIfOrderUnpaid) {

    Mail {
        recipients = List.copyOf(recipients);
    }
}
