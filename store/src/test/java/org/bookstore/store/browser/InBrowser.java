package org.bookstore.store.browser;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.UUID;
import org.bookstore.store.support.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/** The store on a random port and one Chromium for the class; every test is a new buyer with a fresh profile. */
@Tag("browser")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class InBrowser {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static Browser browser;

    @LocalServerPort
    int port;

    BrowserContext context;
    Page page;

    @BeforeAll
    static void launch() {
        browser = Browser.launch();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
    }

    @Autowired
    private JdbcClient storeDatabase;

    @BeforeEach
    void newBuyer() {
        // Browser tests share one database and leave checkouts unpaid (declines, 3-D Secure abandoned), which keep
        // their copies reserved as a real store would: put copies back so every test finds its book on sale.
        storeDatabase.sql("UPDATE books SET stock = stock + 50 WHERE stock < 10 AND archived_at IS NULL").update();
        context = browser.newContext("http://localhost:" + port);
        page = context.newPage();
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    /** Registers through the form; the buyer is logged in afterwards. Returns the email used. */
    String register(String name) {
        String email = "browser-" + UUID.randomUUID() + "@example.com";
        page.navigate("/register");
        page.getByLabel("Name").fill(name);
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill("correct horse battery");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Register")).click();
        return email;
    }

    /** Goes to "Orders" and opens the one order there, reloading until the payment's news has reached the store. */
    static void openTheirOnlyOrder(Page page) {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        page.navigate("/orders");
        while (page.getByTestId("order-row").count() == 0 && java.time.Instant.now().isBefore(deadline)) {
            page.waitForTimeout(200);
            page.reload();
        }
        page.getByTestId("order-row").first().getByRole(AriaRole.LINK).click();
    }
}
