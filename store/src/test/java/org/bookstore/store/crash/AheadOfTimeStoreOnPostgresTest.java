package org.bookstore.store.crash;

import java.util.Map;
import java.util.UUID;
import org.bookstore.store.support.OnPostgres;
import org.bookstore.store.support.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;

/** The store started ahead of time on PostgreSQL, chosen when it starts: migrated, selling, mailing. */
@OnPostgres
class AheadOfTimeStoreOnPostgresTest extends AheadOfTimeStoreTest {

    private final String schema = "bookstore_aot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @Override
    protected Map<String, String> database() {
        PostgresDatabase.execute("CREATE SCHEMA " + schema);
        return Map.of("spring.datasource.url", PostgresDatabase.urlForSchema(schema),
                "spring.datasource.username", PostgresDatabase.USER, "spring.datasource.password", PostgresDatabase.PASSWORD);
    }

    @AfterEach
    void dropSchema() {
        PostgresDatabase.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
