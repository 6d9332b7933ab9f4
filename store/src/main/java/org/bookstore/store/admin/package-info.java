/**
 * The back office, for whoever runs the shop (role ADMIN): every order with its payment timeline, refunds and
 * disputes, what needs attention, the catalogue, takings per day, and the audit trail of every action taken here.
 * It acts through the other modules' public types; nothing depends on it.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "accounts", "orders", "payments", "catalog"})
package org.bookstore.store.admin;
