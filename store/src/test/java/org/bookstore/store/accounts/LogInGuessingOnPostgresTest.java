package org.bookstore.store.accounts;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class LogInGuessingOnPostgresTest extends LogInGuessingTest {
}
