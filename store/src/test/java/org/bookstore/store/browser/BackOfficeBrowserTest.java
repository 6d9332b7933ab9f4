package org.bookstore.store.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.bookstore.store.payments.stripe.StripeAccess;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The shop owner in a real browser: refunds, disputes and a new book, each seen by a buyer; and a buyer kept out. */
class BackOfficeBrowserTest extends InBrowser {

    private static final String ADMIN_EMAIL = "owner@bookstore.example";
    private static final String ADMIN_PASSWORD = "Correct-Horse-Battery-42";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    StripeAccess stripe;

    @Test
    void anAdminRefundsPartOfAPaidOrderAndTheBuyerSeesIt() {
        register("Refunded Buyer");
        long order = buy("working-in-public", "4242 4242 4242 4242");
        Page admin = admin();

        admin.navigate("/admin/orders");
        admin.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("#" + order)).click();
        assertThat(admin.getByTestId("admin-order-status")).hasText("Paid");
        admin.getByLabel("Amount (USD)").fill("12.50");
        admin.getByLabel("Reason (told to Stripe)").selectOption("requested_by_customer");
        admin.getByTestId("refund-submit").click();

        assertThat(admin.getByTestId("notice")).containsText("Refund of $12.50 made");
        assertThat(admin.getByTestId("admin-refund-status")).hasText("succeeded");
        org.bookstore.store.support.Screenshots.take(admin, SCREENSHOTS.resolve("back-office-order.png"), true);

        page.navigate("/orders/" + order);
        assertThat(page.getByTestId("refund")).containsText("$12.50");
        assertThat(page.getByTestId("refund-status")).hasText("Refunded");
        assertThat(page.getByTestId("order-status")).hasText("Partially refunded");
    }

    @Test
    void aDisputedPaymentShowsItsDueDateAndTheAdminSubmitsEvidence() {
        register("Disputing Buyer");
        long order = buy("pragmatic-programmer", "4000 0000 0000 0259");
        stripe.emulator().orElseThrow().advanceClock(5);
        Page admin = admin();

        admin.navigate("/admin");
        assertThat(admin.getByTestId("attention-dispute").filter(new com.microsoft.playwright.Locator.FilterOptions()
                .setHasText("order #" + order))).containsText("evidence due by");
        org.bookstore.store.support.Screenshots.take(admin, SCREENSHOTS.resolve("back-office-home.png"), true);
        admin.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("order #" + order)).first().click();
        assertThat(admin.getByTestId("dispute-status")).hasText("needs response");
        assertThat(admin.getByTestId("dispute-due")).hasText(Pattern.compile("\\d{4}"));

        admin.getByLabel("Product description").fill("The Pragmatic Programmer, paperback.");
        admin.getByLabel("Customer communication").fill("The buyer confirmed delivery by email. winning_evidence");
        admin.getByLabel("Shipping or access details").fill("Sent by post, tracking AB123.");
        admin.getByTestId("submit-evidence").click();

        assertThat(admin.getByTestId("notice")).containsText("The evidence was submitted");
        assertThat(admin.getByTestId("dispute-status")).hasText("under review");
        assertThat(admin.getByTestId("admin-order-status")).hasText("Paid");
    }

    @Test
    void anAdminAddsABookWithACoverAndABuyerBuysIt() throws Exception {
        Page admin = admin();
        admin.navigate("/admin/books");
        admin.getByTestId("add-book").click();
        admin.getByLabel("Title").fill("The Browser's Almanac");
        admin.getByLabel("Author").fill("Tess Tester");
        admin.getByLabel("Description").fill("A book added in the back office, with its own cover.");
        admin.getByLabel("Price").fill("14.00");
        admin.getByLabel("Copies in stock").fill("3");
        Path coverFile = cover();
        admin.getByLabel("Cover image").setInputFiles(coverFile);
        admin.getByTestId("save-book").click();
        assertThat(admin.getByTestId("notice")).containsText("is in the catalogue");
        assertThat(admin.getByTestId("book-audit")).containsText("with an uploaded cover");

        register("Almanac Buyer");
        page.navigate("/books/the-browser-s-almanac");
        Locator shown = page.locator("main img[src*='/books/the-browser-s-almanac/cover']");
        page.waitForFunction("img => img.complete && img.naturalWidth > 0", shown.elementHandle());
        APIResponse cover = page.request().get(shown.getAttribute("src"));
        assertThat(cover.headers().get("content-type")).isEqualTo("image/png");
        assertThat(cover.body()).isEqualTo(Files.readAllBytes(coverFile));
        long order = buy("the-browser-s-almanac", "4242 4242 4242 4242");
        assertThat(page.getByTestId("order-total")).hasText("$14.00");
        assertThat(jdbc.sql("SELECT stock FROM books WHERE slug = 'the-browser-s-almanac'").query(Integer.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT status FROM orders WHERE id = ?").param(order).query(String.class).single()).isEqualTo("paid");
    }

    @Test
    void aBuyerCannotReachTheBackOffice() {
        register("Curious Buyer");
        assertThat(page.getByTestId("back-office-link")).hasCount(0);

        Response response = page.navigate("/admin");

        assertThat(response.status()).isEqualTo(403);
        assertThat(page.getByTestId("error-page")).containsText("You are not allowed to do that");
        assertThat(page.navigate("/admin/orders").status()).isEqualTo(403);
    }

    /** The shop owner, logged in through the same log-in page as buyers, in a browser profile of their own. */
    private Page admin() {
        BrowserContext context = this.context.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL("http://localhost:" + port).setViewportSize(1280, 900));
        context.setDefaultTimeout(15_000);
        Page admin = context.newPage();
        admin.navigate("/admin");
        admin.getByLabel("Email").fill(ADMIN_EMAIL);
        admin.getByLabel("Password").fill(ADMIN_PASSWORD);
        admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(admin.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Back office").setLevel(1))).isVisible();
        return admin;
    }

    /** The logged-in buyer buys one copy of the book on Stripe's hosted page; returns the order. */
    private long buy(String slug, String card) {
        jdbc.sql("UPDATE books SET stock = stock + 10 WHERE slug = ? AND stock < 1").param(slug).update();
        page.navigate("/books/" + slug);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to cart")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Checkout")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Pay"))).click();
        page.getByLabel("Card number").fill(card);
        page.getByLabel("Expiry").fill("12 / 34");
        page.getByLabel("CVC").fill("123");
        page.getByLabel("Name on card").fill("Card Holder");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay")).click();
        assertThat(page.getByTestId("order-paid")).isVisible();
        return Long.parseLong(page.url().replaceAll(".*/orders/(\\d+).*", "$1"));
    }

    private static Path cover() throws Exception {
        BufferedImage image = new BufferedImage(400, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(0x1f, 0x4e, 0x79), 400, 600, new Color(0xb3, 0x59, 0x00)));
        g.fillRect(0, 0, 400, 600);
        g.dispose();
        Path file = Files.createTempFile("cover", ".png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
