package org.bookstore.store.orders;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class OrderPaymentsOnPostgresTest extends OrderPaymentsTest {
}
