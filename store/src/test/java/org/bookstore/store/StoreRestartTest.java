package org.bookstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.bookstore.store.support.PostgresDatabase;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A buyer's account and cart are in the database, so they are still there when the store is restarted. Each store
 * here has its own free ports and its own data folder, so the test runs beside a developer's own store.
 */
class StoreRestartTest {

    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dataDirectory;

    @Test
    void theCartSurvivesARestartOnTheDefaultFileDatabase() {
        cartSurvivesRestart(null, "sa", "");
    }

    @Test
    void theDataFolderAndTheLocalStripesKeysAndStateAreReadableByTheirOwnerOnly() throws Exception {
        java.nio.file.Files.setPosixFilePermissions(dataDirectory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ConfigurableApplicationContext store = start(null, "sa", "")) {
            assertThat(new HttpVisitor(baseUrl(store)).get("/").statusCode()).isEqualTo(200);
        }
        assertThat(java.nio.file.Files.getPosixFilePermissions(dataDirectory)).as("the data folder, database included")
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE, java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
        for (String file : java.util.List.of("stripe-emulator-keys.properties", "stripe-emulator.json")) {
            assertThat(java.nio.file.Files.getPosixFilePermissions(dataDirectory.resolve(file)))
                    .as(file).containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        }
        assertThat(java.nio.file.Files.readString(dataDirectory.resolve("stripe-emulator-keys.properties")))
                .containsPattern("secret-key=sk_test_[A-Za-z0-9]{24}");
    }

    @Test
    @Tag("postgres")
    @ExtendWith(PostgresDatabase.class)
    void theCartSurvivesARestartOnPostgres() {
        String schema = "bookstore_restart_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        PostgresDatabase.execute("CREATE SCHEMA " + schema);
        try {
            cartSurvivesRestart(PostgresDatabase.urlForSchema(schema), PostgresDatabase.USER, PostgresDatabase.PASSWORD);
        } finally {
            PostgresDatabase.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private void cartSurvivesRestart(String url, String user, String password) {
        String email = "restart-" + UUID.randomUUID() + "@example.com";
        try (ConfigurableApplicationContext store = start(url, user, password)) {
            HttpVisitor buyer = new HttpVisitor(baseUrl(store));
            buyer.register("Restart Tester", email, PASSWORD);
            buyer.get("/books/art-of-doing-science-and-engineering");
            buyer.post("/cart/add", "bookId", "1", "quantity", "2");
            assertThat(buyer.get("/cart").body()).contains("The Art of Doing Science and Engineering", "$46.00");
        }

        try (ConfigurableApplicationContext store = start(url, user, password)) {
            HttpVisitor buyer = new HttpVisitor(baseUrl(store));
            buyer.logIn(email, PASSWORD);
            assertThat(buyer.get("/cart").body()).contains("The Art of Doing Science and Engineering", "$46.00");
        }
    }

    /** A store as the README's command starts it, but on free ports and in this test's data folder. */
    private ConfigurableApplicationContext start(String url, String user, String password) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--server.port=0",
                "--bookstore.stripe.emulator.port=0", "--bookstore.data-dir=" + dataDirectory,
                "--spring.datasource.username=" + user, "--spring.datasource.password=" + password, "--logging.level.root=WARN"));
        if (url != null) {
            args.add("--spring.datasource.url=" + url);
        }
        return new SpringApplicationBuilder(BookstoreApplication.class).run(args.toArray(String[]::new));
    }

    private static String baseUrl(ConfigurableApplicationContext store) {
        return "http://localhost:" + store.getEnvironment().getProperty("local.server.port");
    }
}
