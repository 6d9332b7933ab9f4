package org.bookstore.store.catalog;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, a token the database itself renews, in the same transaction, whenever a statement adds or removes
 * books or changes what matches, lists or orders them (text, price, archiving), however it was made: the back office,
 * another instance or SQL typed by hand, replication and bulk loads included (the trigger fires always, even with
 * {@code session_replication_role = replica}). Stock is not among them: reserving copies at checkout leaves it alone.
 * {@link Catalog} keeps what it worked out from those (a search's ranking, the number of books on sale) for as long as
 * the token stays. A token, not a counter: a restored backup or a rolled-back change can never bring back one that
 * was in use. Statements changing books are ordered by the token's row lock, which the back office's edits (one book
 * each) take last. Other databases have no such trigger and work them out each time.
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
                    + " token UUID NOT NULL DEFAULT gen_random_uuid())");
            sql.execute("INSERT INTO catalogue_listing_version DEFAULT VALUES");
            // Resolved in the schema the store's tables are in, whatever the search path of whoever changes books.
            sql.execute("CREATE FUNCTION catalogue_listing_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT"
                    + " AS $$ BEGIN UPDATE catalogue_listing_version SET token = gen_random_uuid(); RETURN NULL; END $$");
            sql.execute("CREATE TRIGGER books_listing_changed AFTER INSERT OR DELETE OR TRUNCATE"
                    + " OR UPDATE OF id, slug, title, author, description, price_minor, currency, created_at, archived_at"
                    + " ON books FOR EACH STATEMENT EXECUTE FUNCTION catalogue_listing_changed()");
            sql.execute("ALTER TABLE books ENABLE ALWAYS TRIGGER books_listing_changed");
        }
    }
}
