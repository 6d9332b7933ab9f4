package org.bookstore.store.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.flyway.autoconfigure.FlywayProperties;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The database's schema, brought up to the store's migrations at start, before anything else uses the database (Spring
 * Boot makes every bean that reads it wait for this one, as it would for its own Flyway initializer, through
 * {@link Detector}). Flyway runs with the {@code spring.flyway.*} settings, as Spring Boot would run it; Boot's own
 * Flyway auto-configuration is left out ({@code spring.autoconfigure.exclude}).
 * <p>
 * What is done differently: a start whose migrations and settings are those the database was last migrated with does
 * not run Flyway at all. Making Flyway and asking it to migrate a database that is up to date (it reads every migration,
 * checks each against the history table and takes the migration lock) was the largest single part of a restart, a
 * tenth of it, for nothing: the same build with the same settings had already migrated and validated that database.
 * After each migration Flyway finishes, the store records a fingerprint of what it migrated with: the SHA-256 of the
 * settings (as resolved, placeholders and all), the name and bytes of every file under the migration locations, the
 * names of the Java migrations and callbacks, and Flyway's version, with a SHA-256 of the history table as Flyway left
 * it (every row's rank, version, script, checksum and success). A start that finds its own fingerprint and that
 * history skips Flyway; anything else (a new or changed migration, another setting, another version of Flyway, a
 * history changed since in any row, a location it cannot list, migrations run over a connection of their own
 * ({@code spring.flyway.url}, {@code user} or {@code password}), or no fingerprint table yet) runs Flyway as before,
 * validation included. Two instances starting at once on a new build both run Flyway, which takes its lock; both
 * then record the same fingerprint.
 */
@Component
class SchemaMigrations implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

    static final String PREFIX = "spring.flyway";

    /** Settings Flyway's community edition does not have, or that the store does not pass on: refused, never ignored. */
    private static final Set<String> UNSUPPORTED = Set.of("batch", "dryrunoutput", "erroroverrides", "stream",
            "kerberosconfigfile", "outputqueryresults", "skipexecutingmigrations", "oracle", "sqlserver", "postgresql",
            "powershellexecutable", "jdbcproperties", "loggers");

    private final DataSource dataSource;
    private final ConfigurableEnvironment environment;
    private final ResourceLoader resources;
    private final ObjectProvider<JavaMigration> javaMigrations;
    private final ObjectProvider<Callback> callbacks;

    SchemaMigrations(DataSource dataSource, ConfigurableEnvironment environment, ResourceLoader resources,
            ObjectProvider<JavaMigration> javaMigrations, ObjectProvider<Callback> callbacks) {
        this.dataSource = dataSource;
        this.environment = environment;
        this.resources = resources;
        this.javaMigrations = javaMigrations;
        this.callbacks = callbacks;
    }

    @Override
    public void afterPropertiesSet() {
        Binder binder = Binder.get(environment);
        if (!binder.bind(PREFIX + ".enabled", Boolean.class).orElse(true)) {
            return;
        }
        List<JavaMigration> java = javaMigrations.orderedStream().toList();
        List<Callback> callbackBeans = callbacks.orderedStream().toList();
        String table = binder.bind(PREFIX + ".table", String.class).orElse("flyway_schema_history");
        Optional<String> fingerprint = fingerprint(binder, java, callbackBeans);
        if (fingerprint.isPresent() && migratedWith(fingerprint.get(), table)) {
            log.info("Database schema is up to date with this build's migrations (fingerprint {}); Flyway not run",
                    fingerprint.get().substring(0, 12));
            return;
        }
        FlywayProperties settings = binder.bind(PREFIX, FlywayProperties.class).orElseGet(FlywayProperties::new);
        flyway(settings, java, callbackBeans).migrate();
        fingerprint.ifPresent(done -> record(done, table));
    }

    /** Whether this database was last migrated with these migrations and settings, and its history is as Flyway left it. */
    private boolean migratedWith(String fingerprint, String table) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT COUNT(*) FROM schema_fingerprints WHERE fingerprint = ? AND history = ?")) {
            query.setString(1, fingerprint);
            query.setString(2, history(connection, table));
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getInt(1) > 0;
            }
        } catch (SQLException notYet) {
            // No fingerprint table (a new database, or one from before it), or no history table: Flyway runs.
            log.debug("No schema fingerprint to compare with: {}", notYet.getMessage());
            return false;
        }
    }

    private void record(String fingerprint, String table) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO schema_fingerprints "
                            + "(fingerprint, history, recorded_at) VALUES (?, ?, ?)")) {
                String history = history(connection, table);
                sql.executeUpdate("DELETE FROM schema_fingerprints");
                insert.setString(1, fingerprint);
                insert.setString(2, history);
                insert.setTimestamp(3, Timestamp.from(Instant.now()));
                insert.executeUpdate();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            // The migrations are done; without the fingerprint the next start only runs Flyway again.
            log.warn("Could not record the schema's fingerprint, so the next start runs Flyway again: {}", e.getMessage());
        }
    }

    /** The SHA-256 of the history table: every row's rank, version, description, type, script, checksum and success. */
    private static String history(Connection connection, String table) throws SQLException {
        MessageDigest digest = sha256();
        try (Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery("SELECT \"installed_rank\", \"version\", \"description\", \"type\", \"script\", "
                        + "\"checksum\", \"success\" FROM " + quoted(table) + " ORDER BY \"installed_rank\"")) {
            while (row.next()) {
                StringBuilder line = new StringBuilder();
                for (int column = 1; column <= 7; column++) {
                    line.append(row.getString(column)).append('|');
                }
                digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private static String quoted(String table) {
        return "\"" + table.replace("\"", "\"\"") + "\"";
    }

    /**
     * The SHA-256 of everything a migration depends on, or empty when part of it cannot be read (a location that is not
     * on the classpath or the file system), so that Flyway always runs.
     */
    Optional<String> fingerprint(Binder binder, List<JavaMigration> java, List<Callback> callbackBeans) {
        if (ownConnection(binder)) {
            // The fingerprint is kept in the store's database, which may not be the one migrated.
            return Optional.empty();
        }
        MessageDigest digest = sha256();
        digest.update(("flyway " + Optional.ofNullable(Flyway.class.getPackage().getImplementationVersion()).orElse("?")
                + "\n").getBytes(StandardCharsets.UTF_8));
        settings().forEach((name, value) -> digest.update((name + "=" + value + "\n").getBytes(StandardCharsets.UTF_8)));
        List<String> locations = binder.bind(PREFIX + ".locations", Bindable.listOf(String.class))
                .orElse(List.of("classpath:db/migration"));
        List<String> callbackLocations = binder.bind(PREFIX + ".callback-locations", Bindable.listOf(String.class))
                .orElse(List.of());
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(resources);
        for (String location : concat(locations, callbackLocations)) {
            if (!files(resolver, location, digest)) {
                return Optional.empty();
            }
        }
        java.stream().map(migration -> "java " + migration.getClass().getName()).sorted()
                .forEach(line -> digest.update((line + "\n").getBytes(StandardCharsets.UTF_8)));
        callbackBeans.stream().map(callback -> "callback " + callback.getClass().getName()).sorted()
                .forEach(line -> digest.update((line + "\n").getBytes(StandardCharsets.UTF_8)));
        return Optional.of(HexFormat.of().formatHex(digest.digest()));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Every {@code spring.flyway.*} setting as given, in a form that does not depend on how it was written. */
    private Map<String, String> settings() {
        Map<String, String> settings = new TreeMap<>();
        ConfigurationPropertyName prefix = ConfigurationPropertyName.of(PREFIX);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.filter(prefix::isAncestorOf).forEach(name -> {
                    ConfigurationProperty property = source.getConfigurationProperty(name);
                    if (property != null) {
                        // The first source that has a name wins, as in binding; a value as it resolves now, not as
                        // written (a placeholder names a setting that may have changed).
                        settings.putIfAbsent(name.toString(), environment.resolvePlaceholders(String.valueOf(property.getValue())));
                    }
                });
            }
        }
        return settings;
    }

    /** Adds the name and bytes of every file under a location, in a fixed order; false if it cannot list the location. */
    private static boolean files(PathMatchingResourcePatternResolver resolver, String location, MessageDigest digest) {
        String base;
        String pattern;
        if (location.startsWith("classpath:")) {
            base = trimmed(location.substring("classpath:".length()));
            pattern = "classpath*:" + base + "/**/*";
        } else if (location.startsWith("filesystem:")) {
            String path = location.substring("filesystem:".length());
            base = trimmed(path);
            pattern = "file:" + (path.endsWith("/") ? path : path + "/") + "**/*";
        } else {
            return false;
        }
        try {
            Map<String, Resource> found = new TreeMap<>();
            for (Resource resource : resolver.getResources(pattern)) {
                String url = resource.getURL().toString();
                if (url.endsWith("/") || !resource.isReadable()) {
                    continue;
                }
                int at = url.lastIndexOf("/" + base + "/");
                found.put(location + "|" + (at < 0 ? url : url.substring(at + base.length() + 2)), resource);
            }
            digest.update(("location " + location + "\n").getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, Resource> file : found.entrySet()) {
                digest.update(("file " + file.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
                try (InputStream in = file.getValue().getInputStream()) {
                    digest.update(in.readAllBytes());
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot list migration location {}: {}", location, e.getMessage());
            return false;
        }
    }

    private static String trimmed(String path) {
        String trimmed = path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** Flyway with the {@code spring.flyway.*} settings, as Spring Boot's auto-configuration makes it. */
    private Flyway flyway(FlywayProperties settings, List<JavaMigration> java, List<Callback> callbackBeans) {
        refuseUnsupported();
        FluentConfiguration flyway = Flyway.configure(resources.getClassLoader());
        Binder binder = Binder.get(environment);
        if (ownConnection(binder)) {
            // As Spring Boot does: what is not given for the migrations' connection is the application's.
            flyway.dataSource(settings.getUrl() != null ? settings.getUrl() : binder.bind("spring.datasource.url", String.class).orElse(null),
                    settings.getUser() != null ? settings.getUser() : binder.bind("spring.datasource.username", String.class).orElse(null),
                    settings.getPassword() != null ? settings.getPassword()
                            : binder.bind("spring.datasource.password", String.class).orElse(null));
            if (settings.getDriverClassName() != null) {
                flyway.driver(settings.getDriverClassName());
            }
        } else {
            flyway.dataSource(dataSource);
        }
        flyway.failOnMissingLocations(settings.isFailOnMissingLocations())
                .locations(settings.getLocations().toArray(String[]::new))
                .callbackLocations(settings.getCallbackLocations().toArray(String[]::new))
                .encoding(settings.getEncoding())
                .connectRetries(settings.getConnectRetries())
                .connectRetriesInterval((int) settings.getConnectRetriesInterval().toSeconds())
                .lockRetryCount(settings.getLockRetryCount())
                .schemas(settings.getSchemas().toArray(String[]::new))
                .createSchemas(settings.isCreateSchemas())
                .table(settings.getTable())
                .placeholders(settings.getPlaceholders())
                .placeholderPrefix(settings.getPlaceholderPrefix())
                .placeholderSuffix(settings.getPlaceholderSuffix())
                .placeholderSeparator(settings.getPlaceholderSeparator())
                .placeholderReplacement(settings.isPlaceholderReplacement())
                .sqlMigrationPrefix(settings.getSqlMigrationPrefix())
                .sqlMigrationSuffixes(settings.getSqlMigrationSuffixes().toArray(String[]::new))
                .sqlMigrationSeparator(settings.getSqlMigrationSeparator())
                .repeatableSqlMigrationPrefix(settings.getRepeatableSqlMigrationPrefix())
                .scriptPlaceholderPrefix(settings.getScriptPlaceholderPrefix())
                .scriptPlaceholderSuffix(settings.getScriptPlaceholderSuffix())
                .baselineDescription(settings.getBaselineDescription())
                .baselineVersion(settings.getBaselineVersion())
                .baselineOnMigrate(settings.isBaselineOnMigrate())
                .cleanDisabled(settings.isCleanDisabled())
                .group(settings.isGroup())
                .mixed(settings.isMixed())
                .outOfOrder(settings.isOutOfOrder())
                .skipDefaultCallbacks(settings.isSkipDefaultCallbacks())
                .skipDefaultResolvers(settings.isSkipDefaultResolvers())
                .validateMigrationNaming(settings.isValidateMigrationNaming())
                .validateOnMigrate(settings.isValidateOnMigrate())
                .executeInTransaction(settings.isExecuteInTransaction())
                .javaMigrations(java.toArray(JavaMigration[]::new))
                .callbacks(callbackBeans.toArray(Callback[]::new));
        if (settings.getDefaultSchema() != null) {
            flyway.defaultSchema(settings.getDefaultSchema());
        }
        if (settings.getTablespace() != null) {
            flyway.tablespace(settings.getTablespace());
        }
        if (settings.getInstalledBy() != null) {
            flyway.installedBy(settings.getInstalledBy());
        }
        if (settings.getTarget() != null) {
            flyway.target(settings.getTarget());
        }
        if (!settings.getInitSqls().isEmpty()) {
            flyway.initSql(String.join("\n", settings.getInitSqls()));
        }
        if (settings.getIgnoreMigrationPatterns() != null && !settings.getIgnoreMigrationPatterns().isEmpty()) {
            flyway.ignoreMigrationPatterns(settings.getIgnoreMigrationPatterns().toArray(String[]::new));
        }
        if (settings.getDetectEncoding() != null) {
            flyway.detectEncoding(settings.getDetectEncoding());
        }
        if (settings.getCommunityDbSupportEnabled() != null) {
            flyway.communityDBSupportEnabled(settings.getCommunityDbSupportEnabled());
        }
        return flyway.load();
    }

    /** Whether the migrations run over a connection of their own rather than the store's. */
    private static boolean ownConnection(Binder binder) {
        return binder.bind(PREFIX + ".url", String.class).isBound() || binder.bind(PREFIX + ".user", String.class).isBound()
                || binder.bind(PREFIX + ".password", String.class).isBound();
    }

    private void refuseUnsupported() {
        List<String> refused = settings().keySet().stream()
                .filter(name -> {
                    ConfigurationPropertyName property = ConfigurationPropertyName.of(name);
                    return property.getNumberOfElements() > 2
                            && UNSUPPORTED.contains(property.getElement(2, ConfigurationPropertyName.Form.UNIFORM));
                })
                .toList();
        if (!refused.isEmpty()) {
            throw new IllegalStateException("The store's migrations do not take " + String.join(", ", refused)
                    + " (Flyway's community edition has no such setting, or the store does not pass it on); remove "
                    + (refused.size() == 1 ? "it" : "them") + " and start again");
        }
    }

    /** Tells Spring Boot that beans using the database wait for the migrations, as for its own Flyway initializer. */
    static class Detector extends AbstractBeansOfTypeDatabaseInitializerDetector {

        @Override
        protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
            return Set.of(SchemaMigrations.class);
        }
    }
}
