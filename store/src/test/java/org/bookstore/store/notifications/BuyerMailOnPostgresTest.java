package org.bookstore.store.notifications;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class BuyerMailOnPostgresTest extends BuyerMailTest {
}
