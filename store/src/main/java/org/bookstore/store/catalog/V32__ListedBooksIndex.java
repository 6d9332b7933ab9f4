package org.bookstore.store.catalog;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, counting the books on sale (the catalogue's "N books", on every rendering of its first page) read the
 * whole table: a quarter of a second for 100,000 books. An index of their ids alone lets PostgreSQL count from the
 * index (26 ms). Other databases have no partial indexes and count their few books as before.
 */
@Component
class V32__ListedBooksIndex extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (context.getConnection().getMetaData().getDatabaseProductName().toLowerCase().contains("postgres")) {
            try (Statement sql = context.getConnection().createStatement()) {
                sql.execute("CREATE INDEX books_listed ON books (id) WHERE archived_at IS NULL");
            }
        }
    }
}
