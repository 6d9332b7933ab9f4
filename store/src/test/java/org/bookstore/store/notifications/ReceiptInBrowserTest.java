package org.bookstore.store.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import org.bookstore.store.support.Browser;
import org.bookstore.store.support.SmtpServer.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The receipt as a buyer sees it: the HTML part the SMTP server received, opened in Chromium on a phone and on a
 * desktop, and the Sent mail page, reached and read with the keyboard alone.
 */
@Tag("browser")
class ReceiptInBrowserTest extends MailScenarios {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static Browser browser;

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

    @Test
    void theReceiptsHtmlRendersInTheStoresLookOnAPhoneAndADesktop() {
        Shopper shopper = shopperWithCart();
        long order = pay(shopper);
        awaitSent("receipt", order);
        Received receipt = mailsTo(shopper.email(), "Your receipt").get(0);

        try (BrowserContext context = browser.newContext("http://localhost:" + port)) {
            Page page = context.newPage();
            for (int width : new int[] {375, 1280}) {
                page.setViewportSize(width, 900);
                page.setContent(receipt.html());

                assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Thank you for your order")).isVisible()).isTrue();
                Locator table = page.locator("table:has(> caption)");
                assertThat(table.locator("caption").innerText()).isEqualTo("Order #" + order);
                assertThat(table.locator("tbody tr")).satisfies(rows -> assertThat(rows.count()).isEqualTo(2));
                assertThat(table.locator("tfoot").innerText()).contains("Total", "$71.00");
                assertThat(page.getByText(chargeId(order)).isVisible()).isTrue();
                Locator header = page.getByText("Bookstore").first();
                assertThat(header.evaluate("element => getComputedStyle(element).backgroundColor")).isEqualTo("rgb(33, 37, 41)");
                assertThat((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))
                        .as("nothing wider than a %dpx screen", width).isTrue();
                Locator orderLink = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("View your order"));
                assertThat(orderLink.getAttribute("href")).isEqualTo("http://localhost:" + port + "/orders/" + order);
                org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("receipt-" + width + ".png"), true);
            }
        }
    }

    @Test
    void theSentMailPageIsReachedAndReadWithTheKeyboard() {
        Shopper shopper = shopperWithCart();
        long order = pay(shopper);
        awaitSent("receipt", order);

        try (BrowserContext context = browser.newContext("http://localhost:" + port)) {
            Page page = context.newPage();
            page.navigate("/");
            Locator footerLink = page.getByTestId("sent-mail-link");
            tabUntilFocused(page, footerLink);
            page.keyboard().press("Enter");
            page.waitForURL("**/sent-mail");

            Locator receipt = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Your receipt for order #" + order + " ($71.00)"));
            tabUntilFocused(page, receipt);
            page.keyboard().press("Enter");
            page.waitForURL("**/sent-mail/*");

            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Your receipt for order #" + order + " ($71.00)"))
                    .isVisible()).isTrue();
            assertThat(page.getByTestId("mail-status").innerText()).startsWith("Sent");
            assertThat(page.getByTestId("mail-text").innerText()).contains("Total: $71.00", "Payment reference: " + chargeId(order));
            Locator frame = page.locator("iframe[title='The mail as its recipient sees it']");
            assertThat(frame.isVisible()).isTrue();
            page.frameLocator("iframe[title='The mail as its recipient sees it']").locator("h1").waitFor();
            org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("sent-mail-receipt.png"), true);
        }
    }

    /** Presses Tab until {@code target} has the focus, as a keyboard user would; fails if it never gets it. */
    private static void tabUntilFocused(Page page, Locator target) {
        for (int presses = 0; presses < 60; presses++) {
            page.keyboard().press("Tab");
            if ((Boolean) target.evaluate("element => element === document.activeElement")) {
                return;
            }
        }
        throw new AssertionError("Tab never reached " + target);
    }
}
