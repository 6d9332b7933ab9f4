package org.bookstore.store.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;
import org.bookstore.emulator.StripeEmulator;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/** A buyer pays on the store's own page, in the Payment Element served by the (emulated) Stripe.js. */
@TestPropertySource(properties = "bookstore.checkout.ui=embedded")
class EmbeddedCheckoutBrowserTest extends InBrowser {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    StripeAccess stripe;

    String email;

    @BeforeEach
    void buyerAtCheckout() {
        email = register("Element Buyer");
        addToCart(page, "working-in-public", "2");
        page.navigate("/checkout");
        assertThat(page.getByTestId("checkout-total")).hasText("$56.00");
    }

    @AfterEach
    void calmStripe() {
        emulator().clearFaults();
    }

    @Test
    void payWithAVisaCardOnTheStoresPageAndSeeTheConfirmation() {
        fillCard(page, "4242 4242 4242 4242");
        org.bookstore.store.support.Screenshots.take(page, SCREENSHOTS.resolve("embedded-checkout.png"), false);
        // Stripe is slow to confirm: the button shows a spinner and cannot be pressed twice meanwhile.
        emulator().stallNext("POST", "/v1/payment_intents", 1, 3_000);
        pay(page);
        assertThat(page.locator("#pay")).isDisabled();
        assertThat(page.locator("#pay-spinner")).isVisible();
        // A screen reader hears that the payment is under way: the spinner alone says nothing to it.
        assertThat(page.getByRole(AriaRole.STATUS).filter(new com.microsoft.playwright.Locator.FilterOptions()
                .setHasText("Paying, please wait."))).hasAttribute("aria-live", "polite");

        assertThat(page.getByTestId("order-paid")).containsText("Your payment was received");
        assertThat(page.getByTestId("order-total")).hasText("$56.00");
        assertThat(page.getByTestId("charge-id")).hasText(Pattern.compile("^ch_\\w+"));
        assertThat(status(page.getByTestId("charge-id").textContent())).isEqualTo("paid");

        // At Stripe the payment names the order: in its description, and on the buyer's card statement.
        String order = page.url().replaceAll(".*/orders/(\\d+).*", "$1");
        String chargeId = page.getByTestId("charge-id").textContent();
        assertThat(emulator().objectsJson("payment_intent")).anyMatch(json -> json.contains("\"latest_charge\":\"" + chargeId + "\"")
                && json.contains("\"description\":\"Bookstore order #" + order + "\"")
                && json.contains("\"statement_descriptor_suffix\":\"ORDER " + order + "\""));
        assertThat(emulator().objectsJson("charge")).anyMatch(json -> json.contains("\"id\":\"" + chargeId + "\"")
                && json.contains("\"calculated_statement_descriptor\":\"BOOKSTORE* ORDER " + order + "\""));
    }

    @Test
    void aDeclineIsShownUnderTheFormAndTheOrderStaysUnpaidUntilAVisaCardPays() {
        fillCard(page, "4000 0000 0000 0002");
        pay(page);

        assertThat(page.getByTestId("payment-message")).hasText("Your card was declined.");
        assertThat(page.locator("#pay")).isEnabled();
        // The decline is an alert, and the form and its button are described by it.
        assertThat(page.getByRole(AriaRole.ALERT)).hasText("Your card was declined.");
        assertThat(page.locator("#payment-form")).hasAttribute("aria-describedby", "payment-message");
        assertThat(page.locator("#pay")).hasAttribute("aria-describedby", "payment-message");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM orders WHERE status = 'paid' AND account_id = (SELECT id FROM accounts WHERE email = ?)")
                .param(email).query(Integer.class).single()).isZero();

        fillCard(page, "4242 4242 4242 4242");
        pay(page);

        assertThat(page.getByTestId("order-paid")).isVisible();
        assertThat(status(page.getByTestId("charge-id").textContent())).isEqualTo("paid");
    }

    @Test
    void aThreeDSecureCardIsAuthenticatedAndComesBackPaid() {
        fillCard(page, "4000 0025 0000 3155");
        pay(page);

        page.frameLocator("iframe[title*='authentication' i], iframe[title*='3D' i]").first()
                .getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Complete")).click();

        assertThat(page.getByTestId("order-paid")).containsText("Your payment was received");
        assertThat(page.getByTestId("charge-id")).hasText(Pattern.compile("^ch_\\w+"));
    }

    @Test
    void aCartChangedInAnotherTabWhileTheFormIsOpenIsNeverChargedTheOldTotal() {
        fillCard(page, "4242 4242 4242 4242");

        Page otherTab = context.newPage();
        addToCart(otherTab, "refactoring", "1");
        assertThat(otherTab.getByTestId("cart-total")).hasText("$103.00");

        pay(page);
        assertThat(page.getByTestId("payment-message")).containsText("Your cart changed in another window: the total is now $103.00");
        long order = jdbc.sql("SELECT o.id FROM orders o JOIN accounts a ON a.id = o.account_id WHERE a.email = ?").param(email)
                .query(Long.class).single();
        assertThat(emulator().objectsJson("payment_intent")).as("no payment was made for the old total")
                .noneMatch(json -> json.contains("\"order_id\":\"" + order + "\""));

        page.reload();
        assertThat(page.getByTestId("checkout-total")).hasText("$103.00");
        fillCard(page, "4242 4242 4242 4242");
        pay(page);

        assertThat(page.getByTestId("order-total")).hasText("$103.00");
        String chargeId = page.getByTestId("charge-id").textContent();
        assertThat(emulator().objectsJson("charge")).anyMatch(json -> json.contains("\"id\":\"" + chargeId + "\"") && json.contains("\"amount\":10300"));
    }

    @Test
    void aBuyerWhoLeavesAuthenticationUnfinishedCanCancelAndHasTheirCartBack() {
        fillCard(page, "4000 0025 0000 3155");
        pay(page);
        assertThat(page.frameLocator("iframe[title*='authentication' i], iframe[title*='3D' i]").first()
                .getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Complete"))).isVisible();

        openTheirOnlyOrder(page);
        assertThat(page.getByTestId("order-needs-action")).containsText("Your bank needs you to confirm this payment");
        page.getByTestId("cancel-payment").click();

        assertThat(page.getByTestId("notice")).hasText("Your payment was cancelled and your books are back in your cart.");
        assertThat(page.getByTestId("cart-total")).hasText("$56.00");
        fillCheckoutAndPay("4242 4242 4242 4242");
        assertThat(page.getByTestId("order-paid")).isVisible();
    }

    @Test
    void aBuyerWhoLeavesAuthenticationUnfinishedContinuesOnTheStoresPageAndPays() {
        fillCard(page, "4000 0025 0000 3155");
        pay(page);
        assertThat(page.frameLocator("iframe[title*='authentication' i], iframe[title*='3D' i]").first()
                .getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Complete"))).isVisible();

        openTheirOnlyOrder(page);
        page.getByTestId("continue-payment").click();
        assertThat(page.getByTestId("checkout-total")).hasText("$56.00");
        fillCard(page, "4242 4242 4242 4242");
        pay(page);

        assertThat(page.getByTestId("order-paid")).containsText("Your payment was received");
        assertThat(page.getByTestId("order-total")).hasText("$56.00");
    }

    @Test
    void whenStripeJsCannotLoadThePageSaysPaymentsAreUnavailableAndOffersToTryAgain() {
        Page blocked = context.newPage();
        String stripeJs = emulator().baseUrl() + "/v3/**";
        blocked.route(stripeJs, route -> route.abort());
        blocked.navigate("/checkout");

        assertThat(blocked.getByTestId("payment-unavailable")).containsText("Payments are unavailable right now");
        assertThat(blocked.locator("#pay")).isDisabled();
        assertThat(blocked.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Try again"))).isFocused();

        blocked.unroute(stripeJs);
        blocked.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Try again")).click();
        assertThat(blocked.getByTestId("payment-unavailable")).isHidden();
        fillCard(blocked, "4242 4242 4242 4242");
        pay(blocked);
        assertThat(blocked.getByTestId("order-paid")).isVisible();
    }

    private void fillCheckoutAndPay(String card) {
        page.navigate("/checkout");
        fillCard(page, card);
        pay(page);
    }


    private StripeEmulator emulator() {
        return stripe.emulator().orElseThrow();
    }

    private String status(String chargeId) {
        return jdbc.sql("SELECT o.status FROM orders o JOIN checkout_attempts a ON a.order_id = o.id WHERE a.charge_id = ?").param(chargeId).query(String.class).single();
    }

    private static void addToCart(Page tab, String slug, String quantity) {
        tab.navigate("/books/" + slug);
        tab.getByLabel("Quantity").fill(quantity);
        tab.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
    }

    private static void fillCard(Page page, String number) {
        FrameLocator element = page.frameLocator("iframe[title='Secure payment input frame']");
        element.getByLabel("Card number").fill(number);
        element.getByLabel("Expiry").fill("12 / 34");
        element.getByLabel("CVC").fill("123");
    }

    private static void pay(Page page) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();
    }
}
