package org.bookstore.store.cart;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class WaitingMessagesOnPostgresTest extends WaitingMessagesTest {
}
