package org.bookstore.store.common;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class SessionWritesOnPostgresTest extends SessionWritesTest {
}
