package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.bookstore.store.support.StoreProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first start, as the README runs it: the store's log says where it listens, which Stripe it talks to (never a key)
 * and how to log in to the back office.
 */
class StartupSummaryTest {

    @Test
    void aFirstStartSaysWhereTheStoreIsWhichStripeItUsesAndHowToReachTheBackOffice(@TempDir Path data) {
        int port = StoreProcess.freePort();
        try (StoreProcess store = StoreProcess.start(data, port, Map.of())) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> store.log().contains("Bookstore is ready at"));
            String log = store.log();
            assertThat(log).contains("Bookstore is ready at http://localhost:" + port)
                    .containsPattern("Stripe: the local Stripe emulator at http://localhost:\\d+")
                    .contains("Back office: http://localhost:" + port + "/admin, log in as admin@bookstore.test with the password printed above")
                    .containsPattern("Log in as admin@bookstore.test with password \\S{20,}");
            assertThat(log).as("no Stripe key is ever logged").doesNotContainPattern("sk_(test|live)_\\w+")
                    .doesNotContainPattern("rk_(test|live)_\\w+").doesNotContain("whsec_");
        }
    }
}
