package org.bookstore.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Visitor.body;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.w3c.dom.Document;

/** Every cover is a well-formed SVG document, whatever the title, and is cached by browsers only as long as it is right. */
@StoreTest
public class CoversTest {

    /** 200 characters of what makes XML fail: entities HTML knows and XML does not, markup, quotes, emoji, a control character. */
    public static final String LONG_TITLE = ("Caf\u00e9 & <Tags> \"Quoted\" 'Single' \u2026 \ud83d\udcda \u0007 Supercalifragilisticexpialidocious "
            + "A-very-long-hyphenated-word-without-any-spaces-at-all ").repeat(4).substring(0, 200);
    public static final String LONG_AUTHOR = ("Jos\u00e9 O'Brien & <Partners> \"Ltd\" \u00df\u00e6\u00f8 ").repeat(8).substring(0, 200);

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;

    @BeforeEach
    void aBookWithAnAwkwardTitle() {
        jdbc.sql("INSERT INTO books (slug, title, author, description, price_minor, currency, stock, cover_color) "
                + "VALUES ('awkward-title', ?, ?, 'A test of covers.', 1000, 'USD', 1, '#224466')").params(LONG_TITLE, LONG_AUTHOR).update();
    }

    @AfterEach
    void removeIt() {
        jdbc.sql("DELETE FROM books WHERE slug = 'awkward-title'").update();
    }

    /**
     * A cover read while a change is made, and finished after the change has dropped the kept covers, is not kept: the
     * request that read it and every later one get the changed cover, although covers are kept for an hour here.
     */
    @Test
    void aCoverReadWhileAChangeIsMadeIsNotKeptPastTheChange() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch changed = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        Catalog firstReadHeldUp = new Catalog(jdbc, dataSource) {
            @Override
            public Optional<UploadedCover> uploadedCover(long bookId) {
                Optional<UploadedCover> found = super.uploadedCover(bookId);
                if (first.getAndSet(false)) {
                    reading.countDown();
                    try {
                        changed.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return found;
            }
        };
        Covers covers = new Covers(firstReadHeldUp, Duration.ofHours(1));
        CompletableFuture<Covers.Cover> inFlight = CompletableFuture.supplyAsync(() -> covers.find("awkward-title"));
        assertThat(reading.await(30, TimeUnit.SECONDS)).as("the first read has the book as it was").isTrue();

        jdbc.sql("UPDATE books SET cover_color = '#7a1f5c' WHERE slug = 'awkward-title'").update();
        covers.forget(); // as the back office does once its change has committed
        changed.countDown();

        assertThat(svg(inFlight.get(30, TimeUnit.SECONDS))).contains("fill=\"#7a1f5c\"").doesNotContain("#224466");
        assertThat(svg(covers.find("awkward-title"))).contains("fill=\"#7a1f5c\"").doesNotContain("#224466");
    }

    private static String svg(Covers.Cover cover) {
        return new String(cover.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void everyCoverIsWellFormedSvg() throws Exception {
        List<String> slugs = jdbc.sql("SELECT slug FROM books").query(String.class).list();
        assertThat(slugs).contains("site-reliability-engineering", "awkward-title");
        Visitor visitor = new Visitor(mvc);
        for (String slug : slugs) {
            MockHttpServletResponse cover = visitor.get("/books/" + slug + "/cover.svg");
            assertThat(cover.getStatus()).isEqualTo(200);
            assertThat(cover.getContentType()).isEqualTo("image/svg+xml;charset=UTF-8");
            Document svg = parse(cover.getContentAsByteArray());
            assertThat(svg.getDocumentElement().getLocalName()).as(slug).isEqualTo("svg");
            assertThat(svg.getDocumentElement().getAttribute("aria-label")).as(slug).endsWith(" cover");
        }
    }

    @Test
    void aLongAwkwardTitleIsWrittenOutCutToTheCoverAndEscaped() throws Exception {
        MockHttpServletResponse cover = new Visitor(mvc).get("/books/awkward-title/cover.svg");
        String label = parse(cover.getContentAsByteArray()).getDocumentElement().getAttribute("aria-label");
        assertThat(label).isEqualTo(LONG_TITLE.replace("\u0007", "") + " cover");
        assertThat(body(cover)).contains("Caf\u00e9 &amp; &lt;Tags&gt;", "\u2026").doesNotContain("&hellip;", "<Tags>");
    }

    @Test
    void theSiteReliabilityEngineeringCoverNoLongerUsesAnHtmlEntity() throws Exception {
        String svg = body(new Visitor(mvc).get("/books/site-reliability-engineering/cover.svg"));
        assertThat(svg).doesNotContain("&hellip;");
        parse(svg.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aVersionedCoverIsCachedForAYearAndAnUnversionedOneIsRevalidated() throws Exception {
        String page = body(new Visitor(mvc).get("/books/working-in-public"));
        String versioned = page.replaceAll("(?s).*src=\"(/books/working-in-public/cover\\.svg\\?v=[0-9a-f]+)\".*", "$1");
        assertThat(versioned).startsWith("/books/working-in-public/cover.svg?v=");

        MockHttpServletResponse forAYear = new Visitor(mvc).get(versioned);
        assertThat(forAYear.getHeader("Cache-Control")).contains("max-age=31536000", "immutable", "public");
        assertThat(forAYear.getHeader("Set-Cookie")).as("a publicly cached response sets no cookie").isNull();

        MockHttpServletResponse plain = new Visitor(mvc).get("/books/working-in-public/cover.svg");
        assertThat(plain.getHeader("Cache-Control")).contains("no-cache");
        String etag = plain.getHeader("ETag");
        assertThat(etag).isNotBlank();
        MockHttpServletResponse revalidated = mvc.perform(MockMvcRequestBuilders.get("/books/working-in-public/cover.svg")
                .header("If-None-Match", etag)).andReturn().getResponse();
        assertThat(revalidated.getStatus()).isEqualTo(304);
    }

    @Test
    void aNewTitleGivesTheCoverANewAddress() {
        String before = coverAddress();
        jdbc.sql("UPDATE books SET title = 'Working in Private' WHERE slug = 'working-in-public'").update();
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (coverAddress().equals(before)) {
                assertThat(Instant.now()).as("the page links the new cover").isBefore(deadline);
            }
            assertThat(body(new Visitor(mvc).get(coverAddress()))).contains("Working in Private");
        } finally {
            jdbc.sql("UPDATE books SET title = 'Working in Public: The Making and Maintenance of Open Source' WHERE slug = 'working-in-public'").update();
        }
    }

    private String coverAddress() {
        return body(new Visitor(mvc).get("/books/working-in-public"))
                .replaceAll("(?s).*src=\"(/books/working-in-public/cover\\.svg\\?v=[0-9a-f]+)\".*", "$1");
    }

    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }
}
