package org.bookstore.store.catalog;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.text.Normalizer;
import java.time.Clock;
import java.util.Currency;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bookstore.store.common.Money;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;

/**
 * Changes to the catalogue made in the back office: books created and edited (every field checked, with a message
 * for each), archived rather than deleted, their stock adjusted by a number of copies (so a checkout reserving stock
 * at the same moment is never overwritten), and covers uploaded. Runs in the caller's transaction.
 */
@Service
public class BookChanges {

    /** The currencies a book can be priced in, with Stripe's minimum charge in each (in minor units). */
    public static final Map<String, Long> CURRENCIES = new LinkedHashMap<>();

    static {
        CURRENCIES.put("USD", 50L);
        CURRENCIES.put("EUR", 50L);
        CURRENCIES.put("GBP", 30L);
        CURRENCIES.put("CAD", 50L);
        CURRENCIES.put("AUD", 50L);
        CURRENCIES.put("CHF", 50L);
        CURRENCIES.put("JPY", 50L);
    }

    static final int MAX_DESCRIPTION = 4000;
    private static final List<String> PALETTE = List.of("#1f4e79", "#8b2f1c", "#2e6b4f", "#5b2a86", "#9c6b12", "#3b5b92", "#7a1f3d", "#245e63");

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final Clock clock;
    private final RenderedPages pages;

    BookChanges(JdbcClient jdbc, Catalog catalog, Clock clock, RenderedPages pages) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.clock = clock;
        this.pages = pages;
    }

    /** What the shop owner typed, as typed. {@code stock} is only read when a book is created. */
    public record Draft(String title, String author, String description, String price, String currency, String stock, String slug) {
    }

    /** The book's fields, checked and converted. */
    public record Checked(String title, String author, String description, Money price, int stock, String slug) {
    }

    /** Input that cannot be saved: a message per field; nothing was changed. */
    public static class Invalid extends RuntimeException {
        private final Map<String, String> errors;

        public Invalid(Map<String, String> errors) {
            super(String.join(" ", errors.values()));
            this.errors = Map.copyOf(errors);
        }

        static Invalid of(String field, String message) {
            return new Invalid(Map.of(field, message));
        }

        public Map<String, String> errors() {
            return errors;
        }
    }

    /** Checks a draft; {@code bookId} is the book being edited (null for a new one), so its own slug is not "taken". */
    public Checked check(Draft draft, Long bookId, boolean creating) {
        Map<String, String> errors = new LinkedHashMap<>();
        String title = text(draft.title());
        String author = text(draft.author());
        String description = draft.description() == null ? "" : draft.description().strip().replace("\r\n", "\n");
        if (title.isEmpty()) {
            errors.put("title", "Enter the book's title.");
        } else if (title.length() > 300) {
            errors.put("title", "The title can be at most 300 characters.");
        }
        if (author.isEmpty()) {
            errors.put("author", "Enter the author.");
        } else if (author.length() > 200) {
            errors.put("author", "The author can be at most 200 characters.");
        }
        if (description.isEmpty()) {
            errors.put("description", "Enter a description: buyers read it on the book's page.");
        } else if (description.length() > MAX_DESCRIPTION) {
            errors.put("description", "The description can be at most " + MAX_DESCRIPTION + " characters; it has " + description.length() + ".");
        }
        Money price = price(draft.price(), draft.currency(), errors);
        int stock = 0;
        if (creating) {
            String stockText = text(draft.stock());
            if (!stockText.matches("\\d{1,6}") || Integer.parseInt(stockText) > 100_000) {
                errors.put("stock", "Enter the copies in stock as a whole number from 0 to 100000.");
            } else {
                stock = Integer.parseInt(stockText);
            }
        }
        String slug = text(draft.slug()).toLowerCase(Locale.ROOT);
        if (slug.isEmpty()) {
            slug = title.isEmpty() ? "" : freeSlug(slugOf(title), bookId);
        } else if (!slug.matches("[a-z0-9]+(-[a-z0-9]+)*") || slug.length() > 120) {
            errors.put("slug", "The address may use only lower-case letters, digits and single hyphens (at most 120 characters), e.g. \u201cworking-in-public\u201d.");
        } else {
            Optional<Book> holder = catalog.findBySlug(slug).filter(book -> bookId == null || book.id() != bookId);
            holder.ifPresent(book -> errors.put("slug", "The address \u201c" + book.slug() + "\u201d is already used by \u201c"
                    + book.title() + "\u201d. Choose another one."));
        }
        if (slug.isEmpty() && !errors.containsKey("title")) {
            errors.put("slug", "Enter an address for the book's page.");
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        return new Checked(title, author, description, price, stock, slug);
    }

    public long create(Checked book) {
        KeyHolder key = new GeneratedKeyHolder();
        try {
            jdbc.sql("INSERT INTO books (slug, title, author, description, price_minor, currency, stock, cover_color, created_at, updated_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(book.slug(), book.title(), book.author(), book.description(), book.price().minorUnits(),
                            book.price().currency().getCurrencyCode(), book.stock(), PALETTE.get(Math.floorMod(book.title().hashCode(), PALETTE.size())),
                            Timestamp.from(clock.instant()), Timestamp.from(clock.instant()))
                    .update(key, "id");
        } catch (DuplicateKeyException taken) {
            throw Invalid.of("slug", "The address \u201c" + book.slug() + "\u201d was just taken by another book. Choose another one.");
        }
        pages.forgetAfterCommit();
        return key.getKeyAs(Number.class).longValue();
    }

    /** Saves the edited fields (not the stock: see {@link #adjustStock}). Returns the book as it was before. */
    public Book update(long bookId, Checked book, boolean currencyMayChange) {
        Book before = catalog.findById(bookId).orElseThrow(() -> Invalid.of("book", "That book does not exist."));
        if (!before.price().currency().equals(book.price().currency()) && !currencyMayChange) {
            throw Invalid.of("currency", "This book is already in carts or orders in " + before.price().currency().getCurrencyCode()
                    + ", so its currency cannot change. Create a new book instead.");
        }
        try {
            jdbc.sql("UPDATE books SET slug = ?, title = ?, author = ?, description = ?, price_minor = ?, currency = ?, updated_at = ? WHERE id = ?")
                    .params(book.slug(), book.title(), book.author(), book.description(), book.price().minorUnits(),
                            book.price().currency().getCurrencyCode(), Timestamp.from(clock.instant()), bookId)
                    .update();
        } catch (DuplicateKeyException taken) {
            throw Invalid.of("slug", "The address \u201c" + book.slug() + "\u201d was just taken by another book. Choose another one.");
        }
        pages.forgetAfterCommit();
        return before;
    }

    /** Takes the book off sale: it leaves the homepage, its page stays for past orders. */
    public boolean archive(long bookId, boolean archived) {
        pages.forgetAfterCommit();
        return jdbc.sql("UPDATE books SET archived_at = " + (archived ? "?" : "NULL") + ", updated_at = ? WHERE id = ? AND archived_at IS "
                        + (archived ? "NULL" : "NOT NULL"))
                .params(archived ? List.of(Timestamp.from(clock.instant()), Timestamp.from(clock.instant()), bookId)
                        : List.of(Timestamp.from(clock.instant()), bookId))
                .update() > 0;
    }

    /** Adds (or, negative, removes) copies; never below zero. Returns the stock before and after. */
    public int[] adjustStock(long bookId, int change) {
        pages.forgetAfterCommit();
        int updated = jdbc.sql("UPDATE books SET stock = stock + ?, updated_at = ? WHERE id = ? AND stock + ? >= 0 AND stock + ? <= 1000000")
                .params(change, Timestamp.from(clock.instant()), bookId, change, change).update();
        int after = catalog.findById(bookId).map(Book::stock).orElseThrow(() -> Invalid.of("book", "That book does not exist."));
        if (updated == 0) {
            throw Invalid.of("change", "Only " + after + (after == 1 ? " copy is" : " copies are") + " in stock, so you cannot remove "
                    + (-change) + ". Nothing was changed.");
        }
        return new int[] {after - change, after};
    }

    /** Checks the uploaded bytes are a PNG, JPEG or WebP image of at most 2 MB, and makes it the book's cover. */
    public String setCover(long bookId, byte[] image) {
        String type = CoverImages.typeOf(image);
        String digest = sha256(image);
        pages.forgetAfterCommit();
        jdbc.sql("DELETE FROM book_covers WHERE book_id = ?").param(bookId).update();
        jdbc.sql("INSERT INTO book_covers (book_id, content_type, image, digest, uploaded_at) VALUES (?, ?, ?, ?, ?)")
                .params(bookId, type, image, digest, Timestamp.from(clock.instant())).update();
        jdbc.sql("UPDATE books SET updated_at = ? WHERE id = ?").params(Timestamp.from(clock.instant()), bookId).update();
        return type;
    }

    public boolean removeCover(long bookId) {
        pages.forgetAfterCommit();
        return jdbc.sql("DELETE FROM book_covers WHERE book_id = ?").param(bookId).update() > 0;
    }

    /** Every book (archived ones too) whose title or author contains {@code text}, by title, at most {@code limit}. */
    public List<Book> list(String text, int limit) {
        String like = "%" + text(text).toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return jdbc.sql("SELECT id, slug, title, author, description, price_minor, currency, stock, cover_color, archived_at FROM books "
                        + "WHERE LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(author) LIKE ? ESCAPE '\\' ORDER BY title, id LIMIT ?")
                .params(like, like, limit).query(Catalog::book).list();
    }

    public boolean hasUploadedCover(long bookId) {
        return jdbc.sql("SELECT COUNT(*) FROM book_covers WHERE book_id = ?").param(bookId).query(Integer.class).single() > 0;
    }

    /** A version of the book's cover, to put in its URL so a changed cover is fetched again. */
    public String coverVersion(long bookId) {
        return jdbc.sql("SELECT digest FROM book_covers WHERE book_id = ?").param(bookId).query(String.class).optional()
                .map(digest -> digest.substring(0, 12)).orElse("generated");
    }

    static String slugOf(String title) {
        String plain = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        String slug = plain.replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 100) {
            slug = slug.substring(0, 100).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "book" : slug;
    }

    private String freeSlug(String base, Long bookId) {
        String slug = base;
        for (int n = 2; catalog.findBySlug(slug).filter(book -> bookId == null || book.id() != bookId).isPresent(); n++) {
            slug = base + "-" + n;
        }
        return slug;
    }

    private static Money price(String text, String currencyCode, Map<String, String> errors) {
        String code = text(currencyCode).toUpperCase(Locale.ROOT);
        if (!CURRENCIES.containsKey(code)) {
            errors.put("currency", "Choose the currency from the list.");
            return null;
        }
        Currency currency = Currency.getInstance(code);
        String amount = text(text).replace(",", "");
        if (!amount.matches("\\d{1,7}(\\.\\d{1,3})?")) {
            errors.put("price", "Enter the price as a number, such as 23.50.");
            return null;
        }
        BigDecimal value = new BigDecimal(amount);
        int exponent = Money.exponent(currency);
        if (value.scale() > exponent) {
            errors.put("price", exponent == 0 ? "Prices in " + code + " have no decimals." : "Use at most " + exponent + " decimals for " + code + ".");
            return null;
        }
        Money price = Money.ofMajor(value, currency);
        long minimum = CURRENCIES.get(code);
        if (price.minorUnits() < minimum) {
            errors.put("price", "The price must be at least " + new Money(minimum, currency).display() + ", the least Stripe can charge in " + code + ".");
            return null;
        }
        if (value.compareTo(BigDecimal.valueOf(exponent == 0 ? 10_000_000 : 100_000)) > 0) {
            errors.put("price", "That price is too high for a book.");
            return null;
        }
        return price;
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
