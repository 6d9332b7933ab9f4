package org.bookstore.store.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A buyer in a real browser: registers, browses, fills the cart, changes it and reaches checkout. */
class StorefrontBrowserTest extends InBrowser {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;



    @Test
    void registerBrowseFillTheCartChangeItAndReachCheckout() {
        page.navigate("/");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Register")).click();
        assertThat(page).hasURL("http://localhost:" + port + "/register");
        register("Margaret Hamilton");

        assertThat(page).hasURL("http://localhost:" + port + "/");
        assertThat(page.getByTestId("buyer-name")).hasText("Margaret Hamilton");
        assertThat(page.getByTestId("notice")).hasText("Welcome to Bookstore, Margaret Hamilton. Your account is ready.");
        int onSale = jdbc.sql("SELECT COUNT(*) FROM books WHERE archived_at IS NULL").query(Integer.class).single();
        org.assertj.core.api.Assertions.assertThat(onSale).as("the demo catalogue, and what other tests added").isGreaterThanOrEqualTo(16);
        assertThat(page.getByTestId("book-card")).hasCount(Math.min(onSale, 24));
        org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("home.png"), false);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("The Art of Doing Science and Engineering")).click();
        assertThat(page.getByTestId("description")).containsText("Hamming");
        assertThat(page.getByTestId("price")).hasText("$23.00");
        org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("book.png"), false);
        page.getByLabel("Quantity").fill("2");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        assertThat(page.getByTestId("notice")).containsText("Added");
        assertThat(page.getByTestId("cart-count")).hasText("2");

        page.navigate("/books/making-of-prince-of-persia");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();

        assertThat(page.getByTestId("cart-line")).hasCount(2);
        assertThat(page.getByTestId("cart-total")).hasText("$71.00");
        assertThat(page.getByTestId("cart-count")).hasText("3");

        Locator persia = line("The Making of Prince of Persia: Journals 1985-1993");
        persia.getByRole(AriaRole.SPINBUTTON).fill("3");
        persia.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Update")).click();
        assertThat(page.getByTestId("cart-total")).hasText("$121.00");
        assertThat(line("The Making of Prince of Persia: Journals 1985-1993").getByTestId("line-total")).hasText("$75.00");
        // Each line shows its cover, loaded (not a broken image), and says what happens after paying.
        for (Locator cover : page.getByTestId("line-cover").all()) {
            assertThat(cover).isVisible();
            org.assertj.core.api.Assertions.assertThat((Integer) cover.evaluate("img => img.complete ? img.naturalWidth : -1"))
                    .as("a loaded cover").isPositive();
        }
        assertThat(page.getByTestId("next-steps")).containsText("no taxes or shipping are added");
        assertThat(page.getByTestId("next-steps")).containsText("your books are sent by post");
        org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("cart.png"), false);

        line("The Art of Doing Science and Engineering")
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove The Art of Doing Science and Engineering"))
                .click();
        assertThat(page.getByTestId("cart-line")).hasCount(1);
        assertThat(page.getByTestId("cart-total")).hasText("$75.00");
        assertThat(page.getByTestId("cart-count")).hasText("3");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Checkout")).click();
        assertThat(page.getByTestId("checkout-total")).hasText("$75.00");
        assertThat(page.getByTestId("checkout-quantity")).hasText("3");
        assertThat(page.getByTestId("checkout-line").getByTestId("line-cover")).isVisible();
        assertThat(page.getByTestId("next-steps")).containsText("No taxes or shipping are added to this total.");

        // A line links back to its book.
        page.getByTestId("checkout-line").getByRole(AriaRole.LINK,
                new Locator.GetByRoleOptions().setName("The Making of Prince of Persia: Journals 1985-1993")).click();
        assertThat(page).hasURL("http://localhost:" + port + "/books/making-of-prince-of-persia");
    }

    @Test
    void aCartLineLinksBackToItsBook() {
        page.navigate("/books/code-hidden-language");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        page.navigate("/cart");
        page.getByTestId("cart-line").getByRole(AriaRole.LINK).first().click();
        assertThat(page).hasURL("http://localhost:" + port + "/books/code-hidden-language");
        assertThat(page.getByTestId("price")).hasText("$30.00");
    }

    @Test
    void aBadQuantityShowsAClearMessageAndLeavesTheCartAsItWas() {
        page.navigate("/books/working-in-public");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        assertThat(page.getByTestId("cart-total")).hasText("$28.00");

        // The browser's own number checks stop most typos; a hand-edited form still reaches the server.
        Locator quantity = line("Working in Public: The Making and Maintenance of Open Source").getByRole(AriaRole.SPINBUTTON);
        quantity.evaluate("input => { input.removeAttribute('max'); input.value = '100'; }");
        line("Working in Public: The Making and Maintenance of Open Source")
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Update")).click();

        assertThat(page.getByTestId("error")).hasText("Quantity must be a whole number from 1 to 99.");
        assertThat(page.getByTestId("cart-total")).hasText("$28.00");
    }

    @Test
    void aGuestIsAskedToLogInAtCheckoutAndKeepsTheirCart() {
        page.navigate("/books/code-hidden-language");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Checkout")).click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        assertThat(page.getByTestId("checkout-reason")).hasText("Log in or register to pay; your cart is kept.");
        org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("checkout-login.png"), false);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Register").setExact(true)).last().click();
        assertThat(page.getByTestId("checkout-reason")).hasText("Log in or register to pay; your cart is kept.");
        page.getByLabel("Name").fill("Guest Buyer");
        page.getByLabel("Email").fill("guest-" + UUID.randomUUID() + "@example.com");
        page.getByLabel("Password").fill("correct horse battery");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Register")).click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Checkout"))).isVisible();
        assertThat(page.getByTestId("notice")).hasText("Welcome to Bookstore, Guest Buyer. Your account is ready.");
        assertThat(page.getByTestId("checkout-total")).hasText("$30.00");
    }

    @Test
    void aGuestWithAnAccountLogsInAtCheckoutAndComesBackToIt() {
        String email = register("Returning Buyer");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Log in"))).isVisible();

        page.navigate("/books/code-hidden-language");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Checkout")).click();
        assertThat(page.getByTestId("checkout-reason")).hasText("Log in or register to pay; your cart is kept.");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill("correct horse battery");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Checkout"))).isVisible();
        assertThat(page.getByTestId("checkout-total")).hasText("$30.00");
    }

    @Test
    void theLogInPageSaysNothingAboutPayingWhenNobodyIsPaying() {
        page.navigate("/login");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        assertThat(page.getByTestId("checkout-reason")).hasCount(0);
    }

    @Test
    void anUnknownBookShowsTheStoresNotFoundPage() {
        page.navigate("/books/no-such-book");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Page not found"))).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Bookstore"))).isVisible();
        assertThat(page.getByRole(AriaRole.ALERT)).hasCount(0);
    }

    @Test
    void anUnknownAddressShowsOneMessageNotARedAlertAboveIt() {
        org.assertj.core.api.Assertions.assertThat(page.navigate("/no/such/page").status()).isEqualTo(404);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Page not found"))).isVisible();
        assertThat(page.getByTestId("error-page")).containsText("There is nothing at this address.");
        assertThat(page.getByRole(AriaRole.ALERT)).hasCount(0);
        assertThat(page.getByTestId("error")).hasCount(0);
        assertThat(page.locator("main")).not().containsText("Not Found");
    }

    private Locator line(String title) {
        return page.getByTestId("cart-line").filter(new Locator.FilterOptions().setHasText(title));
    }
}
