package org.bookstore.store.catalog;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * Indexes for the catalogue's orders (keyset paging walks them) and, on PostgreSQL, the full-text search column and
 * its GIN index. In Java because that part exists only on PostgreSQL; other databases search with LIKE.
 */
@Component
class V7_1__CatalogueSearch extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement sql = context.getConnection().createStatement()) {
            sql.execute("CREATE INDEX books_by_title ON books (title, id)");
            sql.execute("CREATE INDEX books_by_price ON books (price_minor, id)");
            sql.execute("CREATE INDEX books_by_date ON books (created_at, id)");
            if (context.getConnection().getMetaData().getDatabaseProductName().toLowerCase().contains("postgres")) {
                // Weighted so a word in the title ranks above one in the author, above one in the description.
                sql.execute("ALTER TABLE books ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
                        + "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', author), 'B')"
                        + " || setweight(to_tsvector('english', description), 'C')) STORED");
                sql.execute("CREATE INDEX books_search ON books USING GIN (search_vector)");
            }
        }
    }
}
