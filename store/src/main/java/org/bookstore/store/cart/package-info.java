/**
 * The cart pages and rules: quantities, stock, guest carts and merging them on log-in. A cart with a checkout under
 * way is locked; changing it ends that checkout first, through the payments module.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "orders", "catalog", "payments", "accounts"})
package org.bookstore.store.cart;
