package org.bookstore.store.catalog;

import org.bookstore.store.support.OnPostgres;

@OnPostgres
class CataloguePagingOnPostgresTest extends CataloguePagingTest {
}
