package org.bookstore.store.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import org.bookstore.store.common.Money;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The books in the database: what the rest of the store asks about a book goes through here. */
@Repository
public class Catalog {

    private static final String COLUMNS = "id, slug, title, author, description, price_minor, currency, stock, cover_color, archived_at";

    private final JdbcClient jdbc;

    Catalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Book> findById(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM books WHERE id = ?").param(id).query(Catalog::book).optional();
    }

    public Optional<Book> findBySlug(String slug) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM books WHERE slug = ?").param(slug).query(Catalog::book).optional();
    }

    /** Page {@code number} (from 1) of the catalogue, in a stable order: title, then id. */
    public CataloguePage page(int number, int size) {
        List<Book> books = jdbc.sql("SELECT " + COLUMNS + " FROM books WHERE archived_at IS NULL ORDER BY title, id LIMIT ? OFFSET ?")
                .param(size)
                .param((long) (number - 1) * size)
                .query(Catalog::book)
                .list();
        long total = jdbc.sql("SELECT COUNT(*) FROM books WHERE archived_at IS NULL").query(Long.class).single();
        return new CataloguePage(books, number, size, total);
    }

    /**
     * Takes copies out of stock for an order, all of them or none: each book's stock is lowered only if enough
     * copies are left (one conditional UPDATE per book, so two buyers can never take the last copy twice). Must
     * run in the caller's transaction, which a {@link StockShortage} rolls back.
     */
    public void reserve(Map<Long, Integer> quantities) {
        for (Map.Entry<Long, Integer> entry : new TreeMap<>(quantities).entrySet()) {
            int taken = jdbc.sql("UPDATE books SET stock = stock - ? WHERE id = ? AND stock >= ?")
                    .params(entry.getValue(), entry.getKey(), entry.getValue()).update();
            if (taken == 0) {
                throw new StockShortage(findById(entry.getKey()).map(Book::title).orElse("a book"));
            }
        }
    }

    /** Puts reserved copies back, when a checkout ends without payment. */
    public void release(Map<Long, Integer> quantities) {
        for (Map.Entry<Long, Integer> entry : new TreeMap<>(quantities).entrySet()) {
            jdbc.sql("UPDATE books SET stock = stock + ? WHERE id = ?").params(entry.getValue(), entry.getKey()).update();
        }
    }

    static Book book(ResultSet rs, int row) throws SQLException {
        return new Book(rs.getLong("id"), rs.getString("slug"), rs.getString("title"), rs.getString("author"),
                rs.getString("description"), Money.of(rs.getLong("price_minor"), rs.getString("currency").trim()),
                rs.getInt("stock"), rs.getString("cover_color").trim(), rs.getTimestamp("archived_at") != null);
    }

    /** The cover uploaded for the book, if any: its type and bytes. */
    public record UploadedCover(String contentType, byte[] image, String digest) {
    }

    public Optional<UploadedCover> uploadedCover(long bookId) {
        return jdbc.sql("SELECT content_type, image, digest FROM book_covers WHERE book_id = ?").param(bookId)
                .query((rs, row) -> new UploadedCover(rs.getString("content_type"), rs.getBytes("image"), rs.getString("digest")))
                .optional();
    }
}
