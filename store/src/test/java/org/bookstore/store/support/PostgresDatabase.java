package org.bookstore.store.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** The local PostgreSQL server: checks it is there, and gives each Spring context a fresh schema. */
public final class PostgresDatabase implements BeforeAllCallback, ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String URL = System.getenv().getOrDefault("BOOKSTORE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("BOOKSTORE_TEST_POSTGRES_USER", "postgres");
    public static final String PASSWORD = System.getenv().getOrDefault("BOOKSTORE_TEST_POSTGRES_PASSWORD", "");

    @Override
    public void beforeAll(ExtensionContext context) {
        String problem = unavailableReason();
        if (problem == null) {
            return;
        }
        String message = "PostgreSQL at " + URL + " is not available (" + problem + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + ": the PostgreSQL suites must run in CI");
        }
        Assumptions.abort(message + ": skipping the PostgreSQL suite outside CI");
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String schema = "bookstore_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + schema);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE")));
        TestPropertyValues.of(
                "spring.datasource.url=" + urlForSchema(schema),
                "spring.datasource.username=" + USER,
                "spring.datasource.password=" + PASSWORD).applyTo(context);
    }

    public static String urlForSchema(String schema) {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run on PostgreSQL: " + sql, e);
        }
    }

    private static String unavailableReason() {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            return connection.isValid(5) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
