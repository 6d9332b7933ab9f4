package org.bookstore.store.common;

import java.util.UUID;
import javax.sql.DataSource;
import org.bookstore.store.support.OnPostgres;
import org.bookstore.store.support.PostgresDatabase;
import org.postgresql.ds.PGSimpleDataSource;

@OnPostgres
class SchemaMigrationsOnPostgresTest extends SchemaMigrationsTest {

    private String schema;

    @Override
    DataSource database() {
        schema = "bookstore_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PostgresDatabase.execute("CREATE SCHEMA " + schema);
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(PostgresDatabase.urlForSchema(schema));
        postgres.setUser(PostgresDatabase.USER);
        postgres.setPassword(PostgresDatabase.PASSWORD);
        return postgres;
    }

    @Override
    java.util.Map<String, Object> ownConnection() {
        return java.util.Map.of("spring.flyway.url", PostgresDatabase.urlForSchema(schema), "spring.flyway.user", PostgresDatabase.USER,
                "spring.flyway.password", PostgresDatabase.PASSWORD);
    }

    @Override
    void drop() {
        PostgresDatabase.execute("DROP SCHEMA " + schema + " CASCADE");
    }
}
