package org.bookstore.store.notifications;

import org.bookstore.store.support.OnPostgres;
import org.springframework.test.annotation.DirtiesContext;

/** The buyer's mails on PostgreSQL. Its context is closed afterwards, giving its connections back to the server. */
@OnPostgres
@DirtiesContext
class BuyerMailOnPostgresTest extends BuyerMailTest {
}
