package org.bookstore.emulator;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionCreateParams;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator's own pages, which a shop's testers use: hosted Checkout, 3-D Secure and the dashboard pass axe-core's
 * WCAG 2.1 A and AA rules (no rule disabled), and are laid out tidily.
 */
class AccessibilityBrowserTest extends EmulatorTestBase {

    static final List<String> WCAG21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
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

    @Test
    void theHostedCheckoutPageBeforeAndAfterADecline() throws Exception {
        Session s = HostedCheckoutBrowserTest.session();
        try (Page page = browser.newPage()) {
            page.navigate(s.getUrl());
            assertNoViolations(page);
            HostedCheckoutBrowserTest.fill(page, "4000 0000 0000 0002");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("Your card was declined.");
            // The decline describes the form and the card number it is about.
            assertThat(page.locator("#payment-form")).hasAttribute("aria-describedby", "error");
            assertThat(page.getByLabel("Card number")).hasAttribute("aria-describedby", "error");
            assertNoViolations(page);
        }
    }

    @Test
    void theThreeDSecurePageHasItsTwoButtonsSideBySideInItsCard() throws Exception {
        Session s = HostedCheckoutBrowserTest.session();
        try (Page page = browser.newPage()) {
            page.navigate(s.getUrl());
            HostedCheckoutBrowserTest.fill(page, "4000 0025 0000 3155");
            Locator complete = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Complete"));
            Locator fail = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Fail"));
            assertThat(complete).isVisible();
            assertNoViolations(page);

            // No box of its own around each button: the forms they sit in draw nothing.
            for (Locator button : List.of(complete, fail)) {
                assertThat((String) button.evaluate("b => getComputedStyle(b.form).boxShadow")).isEqualTo("none");
                assertThat((String) button.evaluate("b => getComputedStyle(b.form).backgroundColor")).isEqualTo("rgba(0, 0, 0, 0)");
            }
            BoundingBox left = complete.boundingBox();
            BoundingBox right = fail.boundingBox();
            assertThat(right.y).as("on one line").isEqualTo(left.y);
            assertThat(right.x).as("side by side").isGreaterThan(left.x + left.width);
        }
    }

    @Test
    void theDashboardWithPaymentsAndItsHeaderAcrossThePage() throws Exception {
        Session s = stripe.v1().checkout().sessions().create(CheckoutSessionTest.params()
                .setSuccessUrl(emulator.baseUrl() + "/shop/success?session_id={CHECKOUT_SESSION_ID}")
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder().setDescription("Bookstore order #42")
                        .setStatementDescriptorSuffix("ORDER 42").build())
                .build());
        CheckoutSessionTest.pay(s, "4242 4242 4242 4242");
        try (Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1024, 768))) {
            page.navigate(emulator.baseUrl() + "/dashboard");
            assertThat(page.locator("#payments")).containsText("Bookstore order #42");
            assertThat(page.locator("#payments")).containsText("BOOKSTORE* ORDER 42");
            assertNoViolations(page);

            // The page is no wider than the window (wide tables scroll in their own box), so the header spans it.
            int window = (Integer) page.evaluate("() => document.documentElement.clientWidth");
            assertThat((Integer) page.evaluate("() => document.documentElement.scrollWidth")).isEqualTo(window);
            assertThat(page.locator("header").boundingBox().width).isEqualTo(window);
        }
    }

    private static void assertNoViolations(Page page) {
        List<Rule> violations = new AxeBuilder(page).withTags(WCAG21_AA).analyze().getViolations();
        assertThat(violations).as("WCAG 2.1 AA violations on %s:%n%s", page.url(), violations.stream()
                .map(rule -> "- " + rule.getId() + ": " + rule.getHelp() + "\n" + rule.getNodes().stream()
                        .map(node -> "    " + node.getTarget() + " " + node.getHtml() + "\n      " + node.getFailureSummary())
                        .collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n"))).isEmpty();
    }
}
