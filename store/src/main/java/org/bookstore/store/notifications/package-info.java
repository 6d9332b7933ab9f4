/**
 * The store's emails: a receipt when an order is paid, a refund notice, a "your payment did not go through" notice
 * for a buyer who left, a welcome on registration, and for the shop's admins disputes, payments that need a person
 * and failed refunds.
 *
 * <p>Driven by other modules' events through Spring Modulith's event publication registry (a transactional outbox):
 * each listener turns an event into one row of {@code outgoing_mail}, unique per Message-ID, and
 * {@link org.bookstore.store.notifications.MailCourier} sends the rows over SMTP, or keeps them for the "Sent mail"
 * page when no SMTP server is configured. Nothing else depends on this module.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "payments", "orders", "accounts"})
package org.bookstore.store.notifications;
