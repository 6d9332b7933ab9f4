package org.bookstore.store.payments.checkout;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class SettlementOnPostgresTest extends SettlementTest {
}
