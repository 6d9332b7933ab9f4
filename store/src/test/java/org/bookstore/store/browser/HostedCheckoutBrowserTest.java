package org.bookstore.store.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.UUID;
import java.util.regex.Pattern;
import org.bookstore.store.support.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/** A buyer in a real browser pays on the (emulated) hosted Checkout page and lands on the order confirmation. */
@Tag("browser")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class HostedCheckoutBrowserTest {

    static Browser browser;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

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

    @BeforeEach
    void buyerWithACart() {
        context = browser.newContext("http://localhost:" + port);
        page = context.newPage();
        page.navigate("/register");
        page.getByLabel("Name").fill("Card Holder");
        page.getByLabel("Email").fill("card-" + UUID.randomUUID() + "@example.com");
        page.getByLabel("Password").fill("correct horse battery");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Register")).click();
        page.navigate("/books/working-in-public");
        page.getByLabel("Quantity").fill("2");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Checkout")).click();
        assertThat(page.getByTestId("checkout-total")).hasText("$56.00");
        assertThat(page.getByTestId("test-mode-banner")).containsText("Test mode: local Stripe emulator");
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void payWithAVisaCardAndSeeTheConfirmationWithTheChargeId() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();
        assertThat(page.getByText("$56.00").first()).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(StorefrontBrowserTest.SCREENSHOTS.resolve("hosted-checkout.png")));

        fillCard("4242 4242 4242 4242");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();

        assertThat(page.getByTestId("order-paid")).containsText("Your payment was received");
        assertThat(page.getByTestId("order-total")).hasText("$56.00");
        assertThat(page.getByTestId("charge-id")).hasText(Pattern.compile("^ch_\\w+"));
        page.screenshot(new Page.ScreenshotOptions().setPath(StorefrontBrowserTest.SCREENSHOTS.resolve("confirmation.png")));
        String chargeId = page.getByTestId("charge-id").textContent();
        assertThat(jdbc.sql("SELECT status FROM orders WHERE charge_id = ?").param(chargeId).query(String.class).single()).isEqualTo("paid");
    }

    @Test
    void aDeclineShowsStripesMessageThenAVisaCardPays() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();

        fillCard("4000 0000 0000 0002");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Your card was declined.");

        fillCard("4242 4242 4242 4242");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();

        assertThat(page.getByTestId("order-paid")).isVisible();
        String chargeId = page.getByTestId("charge-id").textContent();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM orders WHERE status = 'paid' AND account_id = "
                + "(SELECT account_id FROM orders WHERE charge_id = ?)").param(chargeId).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void aThreeDSecureCardIsAuthenticatedAndPays() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();

        fillCard("4000 0025 0000 3155");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Complete")).click();

        assertThat(page.getByTestId("order-paid")).containsText("Your payment was received");
        assertThat(page.getByTestId("charge-id")).hasText(Pattern.compile("^ch_\\w+"));
    }

    private void fillCard(String number) {
        page.getByLabel("Card number").fill(number);
        page.getByLabel("Expiry").fill("12 / 34");
        page.getByLabel("CVC").fill("123");
        page.getByLabel("Name on card").fill("Card Holder");
    }
}
