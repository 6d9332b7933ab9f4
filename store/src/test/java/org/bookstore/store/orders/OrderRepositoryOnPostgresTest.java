package org.bookstore.store.orders;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class OrderRepositoryOnPostgresTest extends OrderRepositoryTest {
}
