package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.migration.JavaMigration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The store's migrations at start: Flyway is left out only when the database was last migrated with the very same
 * migrations and settings; a new or edited migration, another setting, or a history changed since runs it as before.
 * Each start here is the store's {@link SchemaMigrations} made as the store makes it, on one database (H2 here,
 * PostgreSQL in {@code SchemaMigrationsOnPostgresTest}), with the store's own migrations and, for a later build, more.
 */
class SchemaMigrationsTest {

    @TempDir
    Path laterBuild;

    DataSource database;
    JdbcClient jdbc;
    /** How many times Flyway began to migrate, across every start of the test. */
    final List<Event> migrations = new ArrayList<>();

    @BeforeEach
    void newDatabase() {
        database = database();
        jdbc = JdbcClient.create(database);
    }

    @AfterEach
    void dropDatabase() {
        drop();
    }

    DataSource database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return h2;
    }

    void drop() {
        jdbc.sql("SHUTDOWN").update();
    }

    /** The settings that give the migrations a connection of their own to the same database. */
    Map<String, Object> ownConnection() {
        return Map.of("spring.flyway.url", ((JdbcDataSource) database).getURL(), "spring.flyway.user", "", "spring.flyway.password", "");
    }

    @Test
    void aRestartWithTheSameMigrationsAndSettingsDoesNotRunFlywayAgain() {
        start(Map.of("spring.flyway.locations", "classpath:db/migration,classpath:db/demo"));
        int books = books();
        assertThat(books).as("the demo catalogue").isGreaterThan(10);
        assertThat(migrations).hasSize(1);

        start(Map.of("spring.flyway.locations", "classpath:db/migration,classpath:db/demo"));
        start(Map.of("spring.flyway.locations", "classpath:db/migration,classpath:db/demo"));

        assertThat(migrations).as("Flyway began to migrate only on the first start").hasSize(1);
        assertThat(books()).isEqualTo(books);
    }

    @Test
    void aMigrationTheNextBuildAddsIsApplied() throws IOException {
        start(Map.of("spring.flyway.locations", "classpath:db/migration"));
        Files.writeString(laterBuild.resolve("V1000__shelf_labels.sql"), "CREATE TABLE shelf_labels (id INT PRIMARY KEY);");

        start(Map.of("spring.flyway.locations", "classpath:db/migration,filesystem:" + laterBuild));

        assertThat(migrations).hasSize(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM shelf_labels").query(Integer.class).single()).isZero();
        start(Map.of("spring.flyway.locations", "classpath:db/migration,filesystem:" + laterBuild));
        assertThat(migrations).hasSize(2);
    }

    @Test
    void aMigrationEditedAfterItRanIsStillCaughtByFlywaysValidation() throws IOException {
        Path migration = laterBuild.resolve("V1000__shelf_labels.sql");
        Files.writeString(migration, "CREATE TABLE shelf_labels (id INT PRIMARY KEY);");
        start(Map.of("spring.flyway.locations", "classpath:db/migration,filesystem:" + laterBuild));

        Files.writeString(migration, "CREATE TABLE shelf_labels (id INT PRIMARY KEY, label VARCHAR(40));");

        assertThatThrownBy(() -> start(Map.of("spring.flyway.locations", "classpath:db/migration,filesystem:" + laterBuild)))
                .hasMessageContaining("checksum mismatch").hasMessageContaining("1000");
    }

    @Test
    void aSettingChangedSinceRunsFlywayAgain() {
        start(Map.of("spring.flyway.locations", "classpath:db/migration,classpath:db/demo"));

        // The demo catalogue's migrations left out of a database that ran them: Flyway's validation says so, as it
        // always has, rather than the start going on as if nothing had changed.
        assertThatThrownBy(() -> start(Map.of("spring.flyway.locations", "classpath:db/migration")))
                .hasMessageContaining("not resolved locally");
        assertThat(migrations).hasSize(1);
    }

    @Test
    void aHistoryMovedOnBehindTheStoresBackRunsFlywayAgain() throws IOException {
        start(Map.of("spring.flyway.locations", "classpath:db/migration"));
        Files.writeString(laterBuild.resolve("V1000__shelf_labels.sql"), "CREATE TABLE shelf_labels (id INT PRIMARY KEY);");
        // Another build, or someone with Flyway's command line, migrates the database further.
        Flyway.configure().dataSource(database).locations("classpath:db/migration", "filesystem:" + laterBuild)
                .javaMigrations(javaMigrations()).load().migrate();

        start(Map.of("spring.flyway.locations", "classpath:db/migration"));

        assertThat(migrations).as("Flyway ran again and found the newer migration").hasSize(2);
    }

    /** A setting written as a placeholder counts as what it resolves to: the target moved on, the schema follows. */
    @Test
    void aSettingGivenAsAPlaceholderCountsAsItResolvesNow() {
        start(Map.of("spring.flyway.locations", "classpath:db/migration", "migrate.up.to", "38",
                "spring.flyway.target", "${migrate.up.to}"));
        assertThatThrownBy(() -> jdbc.sql("SELECT COUNT(answering_since) FROM disputes").query(Integer.class).single())
                .as("held at version 38").isNotNull();

        start(Map.of("spring.flyway.locations", "classpath:db/migration", "migrate.up.to", "latest",
                "spring.flyway.target", "${migrate.up.to}"));

        assertThat(migrations).hasSize(2);
        assertThat(jdbc.sql("SELECT COUNT(answering_since) FROM disputes").query(Integer.class).single()).isZero();
    }

    /** A history edited by hand since is looked at by Flyway again, which refuses it, instead of going unnoticed. */
    @Test
    void aHistoryEditedByHandSinceIsValidatedAgain() {
        start(Map.of("spring.flyway.locations", "classpath:db/migration"));
        jdbc.sql("UPDATE \"flyway_schema_history\" SET \"checksum\" = 12345 WHERE \"version\" = '39'").update();

        assertThatThrownBy(() -> start(Map.of("spring.flyway.locations", "classpath:db/migration")))
                .hasMessageContaining("checksum mismatch").hasMessageContaining("39");
    }

    /** Migrations over a connection of their own may reach another database than the fingerprint's: never skipped. */
    @Test
    void migrationsOverAConnectionOfTheirOwnAlwaysRunFlyway() {
        Map<String, Object> settings = new java.util.HashMap<>(ownConnection());
        settings.put("spring.flyway.locations", "classpath:db/migration");

        start(settings);
        start(settings);

        assertThat(migrations).hasSize(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM disputes").query(Integer.class).single()).isZero();
    }

    @Test
    void aSettingTheStoreDoesNotPassOnIsRefusedByName() {
        assertThatThrownBy(() -> start(Map.of("spring.flyway.locations", "classpath:db/migration",
                "spring.flyway.batch", "true")))
                .hasMessageContaining("spring.flyway.batch");
        assertThat(migrations).isEmpty();
    }

    @Test
    void turnedOffItLeavesTheDatabaseAlone() {
        start(Map.of("spring.flyway.enabled", "false"));

        assertThat(migrations).isEmpty();
        assertThatThrownBy(this::books).as("no tables made").isNotNull();
    }

    private int books() {
        return jdbc.sql("SELECT COUNT(*) FROM books").query(Integer.class).single();
    }

    /** One start of the store's migrations, with these settings. */
    private void start(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        for (JavaMigration migration : javaMigrations()) {
            beans.registerSingleton(migration.getClass().getName(), migration);
        }
        beans.registerSingleton("countingCallback", new CountingCallback(migrations));
        ObjectProvider<JavaMigration> java = beans.getBeanProvider(JavaMigration.class);
        ObjectProvider<Callback> callbacks = beans.getBeanProvider(Callback.class);
        new SchemaMigrations(database, environment, new DefaultResourceLoader(), java, callbacks).afterPropertiesSet();
    }

    /** The store's Java migrations, which it has as beans. */
    private static JavaMigration[] javaMigrations() {
        try {
            List<JavaMigration> all = new ArrayList<>();
            for (String name : List.of("org.bookstore.store.catalog.V7_1__CatalogueSearch",
                    "org.bookstore.store.catalog.V32__ListedBooksIndex", "org.bookstore.store.catalog.V34__CatalogueListingVersion")) {
                var constructor = Class.forName(name).getDeclaredConstructor();
                constructor.setAccessible(true);
                all.add((JavaMigration) constructor.newInstance());
            }
            return all.toArray(JavaMigration[]::new);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Flyway callback, as an application would have one, that notes each migration Flyway begins. */
    static final class CountingCallback implements Callback {

        private final List<Event> seen;

        CountingCallback(List<Event> seen) {
            this.seen = seen;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            seen.add(event);
        }

        @Override
        public String getCallbackName() {
            return "counting";
        }
    }
}
