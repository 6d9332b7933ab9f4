package org.bookstore.store.catalog;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, a number the database itself moves on, in the same transaction, whenever a statement adds or removes
 * books or changes what matches, lists or orders them (text, price, archiving), however it was made: the back office,
 * another instance or SQL typed by hand. Stock is not among them: reserving copies at checkout leaves it alone.
 * {@link Catalog} keeps what it worked out from those (a search's ranking, the number of books on sale) for as long as
 * the number stays. Other databases have no such trigger and work them out each time.
 */
@Component
class V34__CatalogueListingVersion extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (!context.getConnection().getMetaData().getDatabaseProductName().toLowerCase().contains("postgres")) {
            return;
        }
        try (Statement sql = context.getConnection().createStatement()) {
            sql.execute("CREATE TABLE catalogue_listing_version (only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),"
                    + " version BIGINT NOT NULL)");
            sql.execute("INSERT INTO catalogue_listing_version (version) VALUES (0)");
            // The row's lock orders the writers, so the number a reader sees moves with every change committed.
            sql.execute("CREATE FUNCTION catalogue_listing_changed() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN UPDATE catalogue_listing_version SET version = version + 1; RETURN NULL; END $$");
            sql.execute("CREATE TRIGGER books_listing_changed AFTER INSERT OR DELETE OR TRUNCATE"
                    + " OR UPDATE OF slug, title, author, description, price_minor, currency, created_at, archived_at"
                    + " ON books FOR EACH STATEMENT EXECUTE FUNCTION catalogue_listing_changed()");
        }
    }
}
