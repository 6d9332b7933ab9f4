package org.bookstore.store.admin;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class PendingRecheckOnPostgresTest extends PendingRecheckTest {
}
