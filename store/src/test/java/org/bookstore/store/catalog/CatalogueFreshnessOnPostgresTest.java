package org.bookstore.store.catalog;

import java.util.UUID;
import org.bookstore.store.support.OnPostgres;
import org.bookstore.store.support.PostgresDatabase;

@OnPostgres
class CatalogueFreshnessOnPostgresTest extends CatalogueFreshnessTest {

    private String schema;

    @Override
    protected String databaseUrl() {
        schema = "bookstore_fresh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        PostgresDatabase.execute("CREATE SCHEMA " + schema);
        return PostgresDatabase.urlForSchema(schema);
    }

    @Override
    protected void dropDatabase() {
        PostgresDatabase.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Override
    protected String username() {
        return PostgresDatabase.USER;
    }

    @Override
    protected String password() {
        return PostgresDatabase.PASSWORD;
    }

    @Override
    protected String replicaMode(String change) {
        return "DO $$ BEGIN SET LOCAL session_replication_role = replica; " + change + "; END $$";
    }
}
