package org.bookstore.store.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Controller;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The store's own payment page (Payment Element, 3-D Secure in a frame, a decline) passes axe-core's WCAG 2.1 A and AA
 * rules; so does the page a server failure shows, reached through a page that fails on purpose (this test's alone).
 */
@TestPropertySource(properties = "bookstore.checkout.ui=embedded")
@Import(AccessibilityOfEmbeddedCheckoutBrowserTest.FailingPage.class)
class AccessibilityOfEmbeddedCheckoutBrowserTest extends AxeInBrowser {

    @Test
    void theStoresOwnPaymentPage() {
        register("Element Buyer");
        page.navigate("/books/working-in-public");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        page.navigate("/checkout");
        FrameLocator element = page.frameLocator("iframe[title='Secure payment input frame']");
        assertThat(element.getByLabel("Card number")).isVisible();
        assertThat(page.locator("#pay")).isEnabled();
        check(page, "the store's payment page");

        fillCard(element, "4000 0000 0000 0002");
        pay();
        assertThat(page.getByTestId("payment-message")).hasText("Your card was declined.");
        check(page, "the store's payment page after a decline");

        fillCard(element, "4000 0025 0000 3155");
        pay();
        FrameLocator authentication = page.frameLocator("iframe[title*='authentication' i], iframe[title*='3D' i]").first();
        assertThat(authentication.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Complete"))).isVisible();
        check(page, "3-D Secure over the store's page");
        authentication.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Complete")).click();
        assertThat(page.getByTestId("order-paid")).isVisible();
        check(page, "order confirmation");
        assertNone();
    }

    @Test
    void theServerFailurePage() {
        assertThat(scan(page, "500", FailingPage.PATH).status()).isEqualTo(500);
        assertThat(page.getByTestId("error-page")).containsText("Something went wrong on our side");
        assertNone();
    }

    private static void fillCard(FrameLocator element, String number) {
        element.getByLabel("Card number").fill(number);
        element.getByLabel("Expiry").fill("12 / 34");
        element.getByLabel("CVC").fill("123");
    }

    private void pay() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();
    }

    /** A page that always fails, as a bug would: the store answers with its 5xx page. */
    @Controller
    static class FailingPage {

        static final String PATH = "/test-only/failure";

        @GetMapping(PATH)
        String fail() {
            throw new IllegalStateException("a failure made on purpose by the test");
        }
    }
}
