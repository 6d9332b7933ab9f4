/**
 * The books: the homepage, book pages, generated covers, and the stock, which follows checkouts (reserved when one
 * begins, given back when it ends unpaid).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "payments"})
package org.bookstore.store.catalog;
