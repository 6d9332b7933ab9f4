package org.bookstore.store.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bookstore.store.BookstoreApplication;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

/** Who may enter the back office, and how its first admin is made: never with a password that shipped with the store. */
@StoreTest
@ExtendWith(OutputCaptureExtension.class)
class BackOfficeAccessTest {

    @Autowired
    MockMvc mvc;

    @Test
    void anAnonymousVisitorIsSentToTheLogInPage() {
        Visitor visitor = new Visitor(mvc);
        MockHttpServletResponse page = visitor.get("/admin/orders");
        assertThat(visitor.redirectedTo()).endsWith("/login");
        assertThat(Visitor.body(page)).contains("Log in");
    }

    @Test
    void aBuyerGetsTheStoresForbiddenPage() {
        Visitor buyer = new Visitor(mvc);
        buyer.register("Just Buying", "buyer-" + System.nanoTime() + "@example.com", "correct horse battery");

        for (String path : new String[] {"/admin", "/admin/orders", "/admin/books/new"}) {
            MockHttpServletResponse page = buyer.get(path);
            assertThat(page.getStatus()).as(path).isEqualTo(403);
            assertThat(page.getForwardedUrl()).as("the store's own 403 page").isEqualTo("/forbidden");
        }
        assertThat(buyer.post("/admin/books/new", "title", "Sneaky").getStatus()).isEqualTo(403);
        assertThat(Visitor.body(buyer.get("/"))).doesNotContain("Back office");
    }

    @Test
    void theAdminLogsInOnTheSameLogInPageAndFindsTheBackOffice() {
        Visitor admin = new Visitor(mvc);
        admin.get("/admin");
        MockHttpServletResponse home = admin.logIn(BackOfficeScenarios.ADMIN_EMAIL, BackOfficeScenarios.ADMIN_PASSWORD);
        assertThat(admin.redirectedTo()).startsWith("/admin");
        assertThat(Visitor.body(home)).contains("Back office", "Needs attention", "The last 30 days", "<svg");
    }

    @Test
    void aFormWithoutItsCsrfTokenChangesNothing() {
        Visitor admin = new Visitor(mvc);
        admin.logIn(BackOfficeScenarios.ADMIN_EMAIL, BackOfficeScenarios.ADMIN_PASSWORD);
        MockHttpServletResponse forged = admin.postWithoutCsrf("/admin/books/new", "title", "Forged", "author", "X",
                "description", "Y", "price", "10", "currency", "USD", "stock", "1");
        assertThat(forged.getStatus()).isEqualTo(403);
        assertThat(forged.getForwardedUrl()).isEqualTo("/forbidden");
    }

    @Test
    void withNoStripeKeyAndNoAdminConfiguredADemoAdminIsMadeAndPrintedOnce(CapturedOutput output) {
        try (ConfigurableApplicationContext store = start("--bookstore.admin.email=")) {
            String printed = output.getAll();
            assertThat(printed).contains("Log in as admin@bookstore.test with password");
            String password = printed.replaceAll("(?s).*with password (\\S+).*", "$1");
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            org.springframework.security.crypto.password.PasswordEncoder encoder =
                    store.getBean(org.springframework.security.crypto.password.PasswordEncoder.class);
            String hash = store.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                    .sql("SELECT password_hash FROM accounts WHERE email = 'admin@bookstore.test' AND role = 'ADMIN'").query(String.class).single();
            assertThat(encoder.matches(password, hash)).isTrue();
        }
    }

    @Test
    void aWeakAdminPasswordStopsTheStoreWithAClearMessage() {
        assertThatThrownBy(() -> start("--bookstore.admin.email=owner@example.com", "--bookstore.admin.password=password123").close())
                .hasMessage("The admin password (bookstore.admin.password, BOOKSTORE_ADMIN_PASSWORD) must be at least 12 characters long. "
                        + "Choose a stronger one; the store did not start.");
        assertThatThrownBy(() -> start("--bookstore.admin.email=owner@example.com", "--bookstore.admin.password=aaaaaaaaaaaaaaaa").close())
                .hasMessage("The admin password (bookstore.admin.password, BOOKSTORE_ADMIN_PASSWORD) uses too few different characters. "
                        + "Choose a stronger one; the store did not start.");
    }

    /** A whole store of its own, on an in-memory database and a free port, with the given settings. */
    private static ConfigurableApplicationContext start(String... settings) {
        String[] args = new String[settings.length + 6];
        System.arraycopy(settings, 0, args, 0, settings.length);
        args[settings.length] = "--spring.profiles.active=test";
        args[settings.length + 1] = "--server.port=0";
        args[settings.length + 2] = "--spring.datasource.url=jdbc:h2:mem:access-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        args[settings.length + 3] = "--spring.main.banner-mode=off";
        args[settings.length + 4] = "--bookstore.stripe.emulator.port=0";
        args[settings.length + 5] = "--logging.level.org.bookstore=INFO";
        return SpringApplication.run(BookstoreApplication.class, args);
    }
}
