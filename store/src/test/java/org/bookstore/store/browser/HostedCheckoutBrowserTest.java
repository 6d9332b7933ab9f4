package org.bookstore.store.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;
import org.bookstore.emulator.StripeEmulator;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A buyer in a real browser pays on the (emulated) hosted Checkout page and lands on the order confirmation. */
class HostedCheckoutBrowserTest extends InBrowser {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    StripeAccess stripe;

    @BeforeEach
    void buyerWithACart() {
        register("Card Holder");
        page.navigate("/books/working-in-public");
        page.getByLabel("Quantity").fill("2");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Checkout")).click();
        assertThat(page.getByTestId("checkout-total")).hasText("$56.00");
        assertThat(page.getByTestId("test-mode-banner")).containsText("Test mode: local Stripe emulator");
    }

    @Test
    void payWithAVisaCardAndSeeTheConfirmationWithTheChargeId() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();
        assertThat(page.getByText("$56.00").first()).isVisible();
        org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("hosted-checkout.png"), false);

        fillCard("4242 4242 4242 4242");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();

        assertThat(page.getByTestId("order-paid")).containsText("Your payment was received");
        assertThat(page.getByTestId("order-total")).hasText("$56.00");
        assertThat(page.getByTestId("charge-id")).hasText(Pattern.compile("^ch_\\w+"));
        org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("confirmation.png"), false);
        String chargeId = page.getByTestId("charge-id").textContent();
        assertThat(jdbc.sql("SELECT o.status FROM orders o JOIN checkout_attempts a ON a.order_id = o.id WHERE a.charge_id = ?").param(chargeId).query(String.class).single()).isEqualTo("paid");

        // At Stripe the payment names the order (payment_intent_data of the Checkout Session), as its dashboard shows.
        String order = page.url().replaceAll(".*/orders/(\\d+).*", "$1");
        StripeEmulator emulator = stripe.emulator().orElseThrow();
        assertThat(emulator.objectsJson("payment_intent")).anyMatch(json -> json.contains("\"latest_charge\":\"" + chargeId + "\"")
                && json.contains("\"description\":\"Bookstore order #" + order + "\"")
                && json.contains("\"statement_descriptor_suffix\":\"ORDER " + order + "\""));
        page.navigate(emulator.baseUrl() + "/dashboard#payments");
        assertThat(page.locator("#payments tr").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(chargeId)))
                .containsText("Bookstore order #" + order);
        assertThat(page.locator("#payments tr").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(chargeId)))
                .containsText("BOOKSTORE* ORDER " + order);
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
                + "(SELECT account_id FROM checkout_attempts WHERE charge_id = ?)").param(chargeId).query(Integer.class).single()).isEqualTo(1);
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

    @Test
    void aBuyerWhoLeavesAuthenticationUnfinishedContinuesFromTheOrderPageAndPays() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();
        fillCard("4000 0025 0000 3155");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Complete"))).isVisible();

        // The buyer wanders off and comes back to the shop.
        openTheirOnlyOrder(page);
        assertThat(page.getByTestId("order-needs-action")).containsText("Your bank needs you to confirm this payment");
        assertThat(page.getByTestId("cancel-payment")).isVisible();
        page.getByTestId("continue-payment").click();
        fillCard("4000 0025 0000 3155");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Complete")).click();

        assertThat(page.getByTestId("order-paid")).containsText("Your payment was received");
    }

    @Test
    void aFailedAuthenticationIsExplainedInPlainWordsWithoutStripesIds() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();
        fillCard("4000 0025 0000 3155");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Fail")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).hasText("We are unable to authenticate your payment method. "
                + "Please choose a different payment method and try again.");

        openTheirOnlyOrder(page);
        assertThat(page.getByTestId("order-failed")).containsText("Your bank could not confirm that it was you");
        String text = page.locator("main").innerText();
        assertThat(text).doesNotContain("PaymentMethod", "payment_method_data", "cs_", "evt_", "pi_", "payment_intent.");
        assertThat(page.getByTestId("timeline").innerText()).containsPattern("\\d{2}:\\d{2} [A-Z]{2,5}");
        assertThat(page.getByTestId("continue-payment")).hasText("Try again");
    }


    private void fillCard(String number) {
        page.getByLabel("Card number").fill(number);
        page.getByLabel("Expiry").fill("12 / 34");
        page.getByLabel("CVC").fill("123");
        page.getByLabel("Name on card").fill("Card Holder");
    }
}
