package org.bookstore.store.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.microsoft.playwright.Keyboard;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A buyer who cannot use a mouse: from the homepage to a paid order with Tab, Enter and typing alone. Nothing here
 * clicks; every step is a key press, and whatever has the focus shows a ring.
 */
class KeyboardOnlyBrowserTest extends InBrowser {

    private static final String BOOK = "Working in Public: The Making and Maintenance of Open Source";

    @Test
    void aBuyerBrowsesFillsTheCartChangesAQuantityRegistersAndPaysWithTheKeyboardAlone() {
        Keyboard keys = page.keyboard();
        page.navigate("/");

        // The first Tab reaches the skip link, which takes the focus past the header to the page's content.
        keys.press("Tab");
        Locator skip = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Skip to main content"));
        assertThat(skip).isFocused();
        assertThat(skip).isVisible();
        assertHasFocusRing(skip);
        keys.press("Enter");
        assertThat(page.locator("main")).isFocused();

        // Browse: the book's link is a few Tabs into the catalogue.
        Locator bookLink = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(BOOK).setExact(true));
        tabTo(bookLink);
        assertHasFocusRing(bookLink);
        keys.press("Enter");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(BOOK))).isVisible();

        Locator addToCart = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart"));
        tabTo(addToCart);
        assertHasFocusRing(addToCart);
        org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("keyboard-focus.png"), false);
        keys.press("Enter");
        assertThat(page.getByTestId("notice")).containsText("Added");
        assertThat(page.getByTestId("cart-count")).hasText("1");

        Locator cartLink = page.getByTestId("cart-link");
        tabTo(cartLink);
        keys.press("Enter");
        assertThat(page.getByTestId("cart-total")).hasText("$28.00");

        // Change the quantity: type the new number, Enter sends the line's form.
        Locator quantity = page.getByLabel("Quantity of " + BOOK);
        tabTo(quantity);
        assertHasFocusRing(quantity);
        keys.press("Control+A");
        keys.type("2");
        keys.press("Enter");
        assertThat(page.getByTestId("cart-total")).hasText("$56.00");

        // Checkout asks a guest to log in or register, and comes back to checkout afterwards.
        tabTo(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Checkout").setExact(true)));
        keys.press("Enter");
        assertThat(page.getByTestId("checkout-reason")).hasText("Log in or register to pay; your cart is kept.");
        tabTo(page.getByRole(AriaRole.MAIN).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Register").setExact(true)));
        keys.press("Enter");
        tabTo(page.getByLabel("Name"));
        keys.type("Keyboard Buyer");
        keys.press("Tab");
        keys.type("keys-" + UUID.randomUUID() + "@example.com");
        keys.press("Tab");
        keys.type("correct horse battery");
        keys.press("Enter");

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Checkout"))).isVisible();
        assertThat(page.getByTestId("notice")).containsText("Welcome to Bookstore, Keyboard Buyer");
        assertThat(page.getByTestId("checkout-total")).hasText("$56.00");
        Locator pay = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay")));
        tabTo(pay);
        assertHasFocusRing(pay);
        keys.press("Enter");

        // Stripe's hosted page: the card form, field by field.
        Locator cardNumber = page.getByLabel("Card number");
        tabTo(cardNumber);
        keys.type("4242 4242 4242 4242");
        tabTo(page.getByLabel("Expiry"));
        keys.type("12 / 34");
        tabTo(page.getByLabel("CVC"));
        keys.type("123");
        tabTo(page.getByLabel("Name on card"));
        keys.type("Keyboard Buyer");
        keys.press("Enter");

        assertThat(page.getByTestId("order-paid")).containsText("Your payment was received");
        assertThat(page.getByTestId("order-total")).hasText("$56.00");
    }

    /** Presses Tab until the element has the focus; fails if it is never reached. */
    private void tabTo(Locator target) {
        target.waitFor();
        for (int presses = 0; presses < 100; presses++) {
            if ((Boolean) target.evaluate("element => element === document.activeElement")) {
                return;
            }
            page.keyboard().press("Tab");
        }
        fail("Tab never reached " + target);
    }

    /** The focused element is outlined clearly: a solid outline at least 2 pixels wide. */
    private static void assertHasFocusRing(Locator focused) {
        assertThat(focused).isFocused();
        String style = (String) focused.evaluate("e => { const s = getComputedStyle(e); return s.outlineStyle + ' ' + s.outlineWidth; }");
        assertThat(style).as("the focus ring of %s", focused).matches("solid (\\d+(\\.\\d+)?)px")
                .satisfies(s -> assertThat(Double.parseDouble(s.replaceAll("[^\\d.]", ""))).isGreaterThanOrEqualTo(2));
    }
}
