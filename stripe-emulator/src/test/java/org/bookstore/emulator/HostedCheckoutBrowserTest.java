package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.stripe.model.checkout.Session;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pays the hosted Checkout page in Chromium. */
class HostedCheckoutBrowserTest extends EmulatorTestBase {
    static final Path CHROMIUM = BrowserSupport.CHROMIUM;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void launch() {
        BrowserSupport.requireChromium();
        playwright = Playwright.create();
        browser = BrowserSupport.launch(playwright);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    /** A success URL on the emulator itself (a 404 page is fine: only the URL matters). */
    static Session session() throws Exception {
        return stripe.v1().checkout().sessions().create(CheckoutSessionTest.params()
                .setSuccessUrl(emulator.baseUrl() + "/shop/success?session_id={CHECKOUT_SESSION_ID}")
                .setCancelUrl(emulator.baseUrl() + "/shop/cart").setCustomerEmail(null).build());
    }

    static void fill(Page page, String card) {
        page.getByLabel("Email").fill("reader@example.com");
        page.getByLabel("Card number").fill(card);
        page.getByLabel("Expiry").fill("12 / 34");
        page.getByLabel("CVC").fill("123");
        page.getByLabel("Name on card").fill("Ann Reader");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();
    }

    @Test
    void paysWithTheSuccessCard() throws Exception {
        Session s = session();
        try (Page page = browser.newPage()) {
            page.navigate(s.getUrl());
            assertThat(page.locator("#total").textContent()).contains("$33.99");
            fill(page, "4242 4242 4242 4242");
            page.waitForURL(Pattern.compile(".*/shop/success\\?session_id=" + s.getId()));
        }
        assertThat(stripe.v1().checkout().sessions().retrieve(s.getId()).getPaymentStatus()).isEqualTo("paid");
    }

    @Test
    void showsTheDeclineThenPays() throws Exception {
        Session s = session();
        try (Page page = browser.newPage()) {
            page.navigate(s.getUrl());
            fill(page, "4000 0000 0000 0002");
            assertThat(page.getByRole(AriaRole.ALERT).textContent()).contains("Your card was declined.");
            fill(page, "4242 4242 4242 4242");
            page.waitForURL(Pattern.compile(".*/shop/success\\?session_id=" + s.getId()));
        }
    }

    @Test
    void completesThreeDSecure() throws Exception {
        Session s = session();
        try (Page page = browser.newPage()) {
            page.navigate(s.getUrl());
            fill(page, "4000 0025 0000 3155");
            page.waitForURL(Pattern.compile(".*/3ds/pi_.*"));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Complete")).click();
            page.waitForURL(Pattern.compile(".*/shop/success\\?session_id=" + s.getId()));
        }
        assertThat(stripe.v1().checkout().sessions().retrieve(s.getId()).getStatus()).isEqualTo("complete");
    }

    @Test
    void backLinkAndExpiredSession() throws Exception {
        Session s = session();
        try (Page page = browser.newPage()) {
            page.navigate(s.getUrl());
            page.getByText("Back").click();
            page.waitForURL(Pattern.compile(".*/shop/cart"));
            stripe.v1().checkout().sessions().expire(s.getId());
            page.navigate(s.getUrl());
            assertThat(page.textContent("body")).contains("This session has expired");
        }
    }
}
