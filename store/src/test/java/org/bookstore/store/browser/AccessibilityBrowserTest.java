package org.bookstore.store.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.bookstore.store.common.ClientCounts;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every page a buyer or an admin reaches, in the states they meet it in (empty, full, with an error), passes axe-core's
 * WCAG 2.1 A and AA rules. Each test visits its pages in turn and lists every violation it found at the end.
 */
class AccessibilityBrowserTest extends AxeInBrowser {

    private static final String ADMIN_EMAIL = "owner@bookstore.example";
    private static final String ADMIN_PASSWORD = "Correct-Horse-Battery-42";

    @Autowired
    StripeAccess stripe;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void calmStripe() {
        stripe.emulator().orElseThrow().clearFaults();
    }

    @Test
    void theCataloguePagesAGuestSees() {
        scan(page, "home", "/");
        scan(page, "home sorted by price", "/?sort=price");
        scan(page, "search results", "/search?q=programming");
        scan(page, "empty search", "/search");
        scan(page, "search without matches", "/search?q=qqqzzzxxx");
        scan(page, "book", "/books/working-in-public");
        scan(page, "empty cart", "/cart");
        page.navigate("/books/working-in-public");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        assertThat(page.getByTestId("notice")).isVisible();
        check(page, "book with the added notice");
        scan(page, "cart", "/cart");

        // A new guest whose network has opened too many new carts: the add answers a 429 page instead.
        page.context().clearCookies();
        Timestamp until = Timestamp.from(Instant.now().plusSeconds(600));
        jdbc.sql("DELETE FROM client_counts WHERE throttle_key LIKE 'guest-carts:%'").update();
        for (String address : List.of("127.0.0.1", "0:0:0:0:0:0:0:1")) {
            jdbc.sql("INSERT INTO client_counts (throttle_key, counted, window_started, locked_until) VALUES (?, 50, ?, ?)")
                    .params("guest-carts:" + ClientCounts.client(address), Timestamp.from(Instant.now()), until).update();
        }
        try {
            page.navigate("/books/working-in-public");
            Response refused = page.waitForResponse(response -> response.url().endsWith("/cart/add"),
                    () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(page.getByTestId("too-many-carts")).containsText("Please wait 10 minute(s)");
            check(page, "too many new carts");
        } finally {
            jdbc.sql("DELETE FROM client_counts WHERE throttle_key LIKE 'guest-carts:%'").update();
        }
        assertNone();
    }

    @Test
    void theAccountAndErrorPages() {
        scan(page, "log in", "/login");
        scan(page, "log in failed", "/login?error");
        scan(page, "register", "/register");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Register")).click();
        assertThat(page.locator(".invalid-feedback").first()).isVisible();
        check(page, "register with errors");
        assertThat(scan(page, "404", "/books/no-such-book").status()).isEqualTo(404);
        assertThat(scan(page, "404 of an unknown address", "/no/such/page").status()).isEqualTo(404);
        register("Looking Around");
        assertThat(scan(page, "404 of an order that is not theirs", "/orders/" + "9".repeat(30)).status()).isEqualTo(404);
        assertThat(scan(page, "4xx (a form's address opened as a page)", "/cart/add").status()).isEqualTo(405);
        assertThat(page.getByTestId("error-page")).containsText("We could not understand that request");
        assertThat(scan(page, "403", "/admin").status()).isEqualTo(403);
        scan(page, "no orders yet", "/orders");
        assertNone();
    }

    @Test
    void aBuyerPaysOnStripesHostedPage() {
        register("Hosted Buyer");
        assertThat(page.getByTestId("notice")).isVisible();
        check(page, "welcome after registering");
        page.navigate("/books/working-in-public");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        scan(page, "checkout", "/checkout");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();
        assertThat(page.getByLabel("Card number")).isVisible();
        check(page, "Stripe's hosted Checkout");
        fillCard("4000 0000 0000 0002");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("declined");
        check(page, "Stripe's hosted Checkout after a decline");
        fillCard("4000 0025 0000 3155");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Complete"))).isVisible();
        check(page, "3-D Secure");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Complete")).click();
        assertThat(page.getByTestId("order-paid")).isVisible();
        check(page, "order confirmation");
        scan(page, "orders", "/orders");
        assertNone();
    }

    @Test
    void theBackOfficeAndTheSentMail() {
        register("Paying Buyer");
        page.navigate("/books/working-in-public");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        page.navigate("/checkout");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();
        fillCard("4242 4242 4242 4242");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();
        assertThat(page.getByTestId("order-paid")).isVisible();
        String order = page.url().replaceAll(".*/orders/(\\d+).*", "$1");

        Page admin = admin();
        check(admin, "back office home");
        scan(admin, "orders", "/admin/orders");
        scan(admin, "order", "/admin/orders/" + order);
        scan(admin, "books", "/admin/books");
        scan(admin, "new book", "/admin/books/new");
        admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^(Add|Create|Save)"))).first().click();
        check(admin, "new book with errors");
        scan(admin, "books", "/admin/books");
        admin.getByTestId("admin-books").getByRole(AriaRole.LINK).first().click();
        check(admin, "book edit");
        scan(admin, "sent mail", "/sent-mail");
        admin.getByTestId("mail-row").first().getByRole(AriaRole.LINK).click();
        assertThat(admin.getByTestId("mail-html")).isVisible();
        checkOutsideFrames(admin, "a sent mail");
        String mailPath = admin.getByTestId("mail-html").getAttribute("src");
        checkDocument("the mail's HTML part", admin.request().get(mailPath).text());
        assertNone();
    }

    private void fillCard(String number) {
        page.getByLabel("Card number").fill(number);
        page.getByLabel("Expiry").fill("12 / 34");
        page.getByLabel("CVC").fill("123");
        page.getByLabel("Name on card").fill("Card Holder");
    }

    private Page admin() {
        BrowserContext adminContext = context.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL("http://localhost:" + port).setViewportSize(1280, 900));
        adminContext.setDefaultTimeout(15_000);
        Page admin = adminContext.newPage();
        admin.navigate("/admin");
        admin.getByLabel("Email").fill(ADMIN_EMAIL);
        admin.getByLabel("Password").fill(ADMIN_PASSWORD);
        admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(admin.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Back office").setLevel(1))).isVisible();
        return admin;
    }
}
