package org.bookstore.store.payments;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class PaymentLimitOnPostgresTest extends PaymentLimitTest {
}
