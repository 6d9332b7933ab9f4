package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.stripe.model.Coupon;
import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import com.stripe.param.PromotionCodeCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
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
    void paysATotalWithCouponShippingAndTax() throws Exception {
        String success = emulator.baseUrl() + "/shop/success?session_id={CHECKOUT_SESSION_ID}";
        Session s = stripe.v1().checkout().sessions().create(CheckoutTotalsTest.dressed(success,
                CheckoutTotalsTest.rate("Ground", 500), CheckoutTotalsTest.rate("Express", 1500))
                .setShippingAddressCollection(SessionCreateParams.ShippingAddressCollection.builder()
                        .addAllowedCountry(SessionCreateParams.ShippingAddressCollection.AllowedCountry.GB)
                        .addAllowedCountry(SessionCreateParams.ShippingAddressCollection.AllowedCountry.US).build())
                .build());
        try (Page page = browser.newPage()) {
            page.navigate(s.getUrl());
            assertThat(page.locator("#subtotal").textContent()).contains("$33.99");
            assertThat(page.locator("#discount").textContent()).contains("10% off").contains("-$3.40");
            assertThat(page.locator("#shipping").textContent()).contains("$5.00");
            assertThat(page.locator("#tax").textContent()).contains("$2.45");
            assertThat(page.locator("#total-due").textContent()).contains("$38.04");
            page.getByLabel("Express").check();
            page.waitForCondition(() -> page.locator("#total-due").textContent().contains("$48.04"));
            assertThat(page.locator("#shipping").textContent()).contains("$15.00");
            page.getByLabel("Full name").fill("Ann Reader");
            page.getByLabel("Address").fill("1 Library Lane");
            page.getByLabel("City").fill("Oxford");
            page.getByLabel("Postal code").fill("OX1 1AA");
            page.getByLabel("Country").selectOption("GB");
            fill(page, "4242 4242 4242 4242");
            page.waitForURL(Pattern.compile(".*/shop/success\\?session_id=" + s.getId()));
        }
        Session paid = stripe.v1().checkout().sessions().retrieve(s.getId());
        assertThat(paid.getPaymentStatus()).isEqualTo("paid");
        assertThat(paid.getAmountTotal()).isEqualTo(4804L);
        assertThat(paid.getTotalDetails().getAmountShipping()).isEqualTo(1500L);
        assertThat(paid.getCollectedInformation().getShippingDetails().getName()).isEqualTo("Ann Reader");
        assertThat(paid.getCollectedInformation().getShippingDetails().getAddress().getCountry()).isEqualTo("GB");
        PaymentIntent pi = stripe.v1().paymentIntents().retrieve(paid.getPaymentIntent());
        assertThat(pi.getAmount()).isEqualTo(4804L);
        assertThat(pi.getShipping().getAddress().getLine1()).isEqualTo("1 Library Lane");
    }

    @Test
    void appliesAPromotionCodeOnThePage() throws Exception {
        Coupon c = CheckoutTotalsTest.percentOff("20");
        stripe.v1().promotionCodes().create(PromotionCodeCreateParams.builder().setCode("BOOKWORM")
                .setPromotion(PromotionCodeCreateParams.Promotion.builder().setCoupon(c.getId())
                        .setType(PromotionCodeCreateParams.Promotion.Type.COUPON).build()).build());
        Session s = stripe.v1().checkout().sessions().create(CheckoutSessionTest.params()
                .setSuccessUrl(emulator.baseUrl() + "/shop/success?session_id={CHECKOUT_SESSION_ID}")
                .setCustomerEmail(null).setAllowPromotionCodes(true).build());
        try (Page page = browser.newPage()) {
            page.navigate(s.getUrl());
            page.getByLabel("Promotion code").fill("NOPE");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
            assertThat(page.getByRole(AriaRole.ALERT).textContent()).contains("This code is invalid.");
            page.getByLabel("Promotion code").fill("bookworm");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
            page.waitForCondition(() -> page.locator("#total-due").textContent().contains("$27.19"));
            assertThat(page.locator("#discount").textContent()).contains("BOOKWORM").contains("-$6.80");
            fill(page, "4242 4242 4242 4242");
            page.waitForURL(Pattern.compile(".*/shop/success\\?session_id=" + s.getId()));
        }
        assertThat(stripe.v1().checkout().sessions().retrieve(s.getId()).getAmountTotal()).isEqualTo(2719L);
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
