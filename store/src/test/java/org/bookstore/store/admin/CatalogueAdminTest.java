package org.bookstore.store.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;

/**
 * The catalogue in the back office over real HTTP: books created with a cover checked by its content, every field
 * checked with a clear message, archiving instead of deleting, recorded stock changes, and price changes that
 * never touch a paid order but show in open carts.
 */
class CatalogueAdminTest extends BackOfficeScenarios {

    private static final Pattern NEXT = Pattern.compile("rel=\"next\" href=\"(/\\?[^\"]+)\"");

    Uploads owner() {
        Uploads owner = new Uploads(baseUrl(), ADMIN_EMAIL, ADMIN_PASSWORD);
        owner.get("/admin/books/new");
        return owner;
    }

    @Test
    void aBookIsAddedWithAnUploadedCoverAndBuyersSeeIt() throws Exception {
        Uploads owner = owner();
        byte[] png = png();

        HttpResponse<String> saved = owner.post("/admin/books/new", "cover.png", "image/png", png, "title", "Évariste's Notebooks",
                "author", "Ada Example", "description", "d".repeat(4000), "price", "19.99", "currency", "USD", "stock", "7", "slug", "");

        assertThat(saved.body()).contains("is in the catalogue", "evariste-s-notebooks");
        HttpVisitor buyer = new HttpVisitor(baseUrl());
        assertThat(homepage(buyer)).contains("Évariste&#39;s Notebooks");
        assertThat(buyer.get("/books/evariste-s-notebooks").body()).contains("$19.99", "7 in stock");
        HttpResponse<String> cover = buyer.getUrl(baseUrl() + "/books/evariste-s-notebooks/cover.svg");
        assertThat(cover.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(saved.body()).contains("Created \u201c\u00c9variste");
    }

    /** Covers are kept as pages are, and the owner's change drops them: a buyer sees a new or removed upload at once. */
    @Test
    void aCoverUploadedOrRemovedInTheBackOfficeIsServedAtOnce() throws Exception {
        HttpVisitor buyer = new HttpVisitor(baseUrl());
        String cover = baseUrl() + "/books/working-in-public/cover.svg";
        assertThat(buyer.getUrl(cover).headers().firstValue("Content-Type")).hasValue("image/svg+xml;charset=UTF-8");
        long book = bookId("working-in-public");
        Uploads owner = owner();
        owner.get("/admin/books/" + book);
        String[] fields = {"title", "Working in Public: The Making and Maintenance of Open Source", "author", "Nadia Eghbal",
                "description", "Open source, as it is maintained.", "price", "28.00", "currency", "USD", "slug", "working-in-public"};

        assertThat(owner.post("/admin/books/" + book, "cover.png", "image/png", png(), fields).body()).contains("Saved.");
        HttpResponse<String> uploaded = buyer.getUrl(cover);
        assertThat(uploaded.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(uploaded.headers().firstValue("Cache-Control")).hasValue("no-cache, public");

        String[] removing = java.util.Arrays.copyOf(fields, fields.length + 2);
        removing[fields.length] = "removeCover";
        removing[fields.length + 1] = "on";
        assertThat(owner.post("/admin/books/" + book, null, null, null, removing).body()).contains("Saved.");
        HttpResponse<String> drawn = buyer.getUrl(cover);
        assertThat(drawn.headers().firstValue("Content-Type")).hasValue("image/svg+xml;charset=UTF-8");
        assertThat(drawn.body()).contains("Working in Public");
    }

    @Test
    void aTakenSlugAndBadFieldsAreRefusedWithAMessageEachAndNothingIsSaved() {
        Uploads owner = owner();
        int books = books();

        HttpResponse<String> refused = owner.post("/admin/books/new", null, null, null, "title", "", "author", "Someone",
                "description", "x".repeat(4001), "price", "-3", "currency", "USD", "stock", "two", "slug", "working-in-public");

        assertThat(refused.body()).contains("Enter the book&#39;s title.", "at most 4000 characters", "Enter the price as a number",
                "whole number from 0 to 100000", "is already used by", "Working in Public");
        assertThat(refused.body()).as("what was typed is kept").contains("value=\"Someone\"");
        assertThat(owner.post("/admin/books/new", null, null, null, "title", "Cheap", "author", "A", "description", "D", "price", "0.10",
                "currency", "USD", "stock", "1", "slug", "").body()).contains("at least $0.50");
        assertThat(owner.post("/admin/books/new", null, null, null, "title", "Yen", "author", "A", "description", "D", "price", "500.5",
                "currency", "JPY", "stock", "1", "slug", "").body()).contains("Prices in JPY have no decimals");
        assertThat(books()).isEqualTo(books);
    }

    @Test
    void aNonImageRenamedPngIsRefusedAndNothingIsSaved() {
        Uploads owner = owner();
        int books = books();

        HttpResponse<String> refused = owner.post("/admin/books/new", "cover.png", "image/png",
                "#!/bin/sh\necho this is not a picture\n".repeat(20).getBytes(), "title", "Not A Picture", "author", "A",
                "description", "D", "price", "10", "currency", "USD", "stock", "1", "slug", "");

        assertThat(refused.body()).contains("is not a PNG, JPEG or WebP image, whatever its name says", "value=\"Not A Picture\"");
        assertThat(books()).isEqualTo(books);
    }

    @Test
    void uploadsPastTheLimitsAreRefusedWithAClearMessage() {
        Uploads owner = owner();
        int books = books();

        HttpResponse<String> fifty = owner.post("/admin/books/new", "huge.png", "image/png", new byte[50 * 1024 * 1024],
                "title", "Huge", "author", "A", "description", "D", "price", "10", "currency", "USD", "stock", "1", "slug", "");
        assertThat(fifty.body()).contains("The cover image is too large: it can be at most 2 MB.");

        owner.get("/admin/books/new");
        HttpResponse<String> overFile = owner.post("/admin/books/new", "big.png", "image/png", new byte[2 * 1024 * 1024 + 10],
                "title", "Big", "author", "A", "description", "D", "price", "10", "currency", "USD", "stock", "1", "slug", "");
        assertThat(overFile.body()).contains("The cover image is too large");
        assertThat(books()).isEqualTo(books);
    }

    @Test
    void anArchivedBookLeavesTheHomepageKeepsItsPageAndCannotBeBought() {
        Paid paid = paidOrder(VISA, "pragmatic-programmer", 1);
        HttpVisitor admin = admin();
        long book = bookId("pragmatic-programmer");
        admin.get("/admin/books/" + book);

        assertThat(admin.post("/admin/books/" + book + "/archive", "archived", "true").body()).contains("is archived");

        HttpVisitor buyer = new HttpVisitor(baseUrl());
        assertThat(homepage(buyer)).contains("Working in Public").doesNotContain("The Pragmatic Programmer");
        assertThat(buyer.get("/books/pragmatic-programmer").body()).contains("no longer sold").doesNotContain("Add to cart");
        buyer.get("/books/working-in-public");
        assertThat(buyer.post("/cart/add", "bookId", Long.toString(book), "quantity", "1").body()).contains("is no longer sold");
        assertThat(paid.buyer().get("/orders/" + paid.orderId()).body()).contains("The Pragmatic Programmer");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM books WHERE id = ?").param(book).query(Integer.class).single()).isEqualTo(1);
        admin.get("/admin/books/" + book);
        admin.post("/admin/books/" + book + "/archive", "archived", "false");
        assertThat(homepage(buyer)).contains("The Pragmatic Programmer");
    }

    @Test
    void stockAdjustmentsAreRecordedAndNeverGoBelowZero() {
        HttpVisitor admin = admin();
        long book = bookId("designing-data-intensive-applications");
        int before = stock("designing-data-intensive-applications");
        admin.get("/admin/books/" + book);

        assertThat(admin.post("/admin/books/" + book + "/stock", "change", "+5", "why", "delivery").body())
                .contains("Stock is now " + (before + 5), "Stock " + before + " \u2192 " + (before + 5) + " (+5): delivery", ADMIN_EMAIL);
        assertThat(admin.post("/admin/books/" + book + "/stock", "change", "-100000", "why", "").body()).contains("Nothing was changed");
        assertThat(admin.post("/admin/books/" + book + "/stock", "change", "lots", "why", "").body()).contains("Nothing was changed");
        assertThat(stock("designing-data-intensive-applications")).isEqualTo(before + 5);
    }

    @Test
    void aNewPriceNeverChangesAPaidOrderAndAnOpenCartShowsItWithANotice() {
        Paid paid = paidOrder(VISA, "structure-and-interpretation-of-computer-programs", 1);
        HttpVisitor shopper = new HttpVisitor(baseUrl());
        long book = bookId("structure-and-interpretation-of-computer-programs");
        shopper.get("/books/structure-and-interpretation-of-computer-programs");
        shopper.post("/cart/add", "bookId", Long.toString(book), "quantity", "1");
        Uploads owner = owner();
        owner.get("/admin/books/" + book);

        HttpResponse<String> saved = owner.post("/admin/books/" + book, null, null, null, "title", "Structure and Interpretation of Computer Programs",
                "author", "Harold Abelson and Gerald Jay Sussman", "description", "The wizard book.", "price", "60.00", "currency", "USD",
                "slug", "structure-and-interpretation-of-computer-programs");

        assertThat(saved.body()).contains("Saved.", "1 open cart shows the new price", "price \u201c$55.00\u201d \u2192 \u201c$60.00\u201d");
        assertThat(shopper.get("/cart").body()).contains("Prices changed", "$55.00", "now $60.00");
        assertThat(paid.buyer().get("/orders/" + paid.orderId()).body()).contains("$55.00").doesNotContain("$60.00");
        assertThat(owner.post("/admin/books/" + book, null, null, null, "title", "SICP", "author", "A", "description", "D", "price", "60",
                "currency", "EUR", "slug", "").body()).contains("its currency cannot change");
    }

    /** Every page of the homepage's catalogue, as one text. */
    /** Every page of the catalogue a buyer reaches from the homepage by following "Next". */
    private static String homepage(HttpVisitor buyer) {
        StringBuilder pages = new StringBuilder();
        String next = "/";
        for (int page = 1; next != null && page <= 50; page++) {
            String body = buyer.get(next).body();
            pages.append(body);
            Matcher link = NEXT.matcher(body);
            next = link.find() ? link.group(1).replace("&amp;", "&") : null;
        }
        return pages.toString();
    }

    private int books() {
        return jdbc.sql("SELECT COUNT(*) FROM books").query(Integer.class).single();
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(200, 300, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(0x2e, 0x6b, 0x4f));
        g.fillRect(0, 0, 200, 300);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
