package org.bookstore.store.catalog;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class CoversOnPostgresTest extends CoversTest {
}
