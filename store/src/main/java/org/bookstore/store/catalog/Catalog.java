package org.bookstore.store.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.bookstore.store.common.Money;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The books in the database: what the rest of the store asks about a book goes through here. */
@Repository
public class Catalog {

    private static final String COLUMNS = "id, slug, title, author, description, price_minor, currency, stock, cover_color";

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
        List<Book> books = jdbc.sql("SELECT " + COLUMNS + " FROM books ORDER BY title, id LIMIT ? OFFSET ?")
                .param(size)
                .param((long) (number - 1) * size)
                .query(Catalog::book)
                .list();
        long total = jdbc.sql("SELECT COUNT(*) FROM books").query(Long.class).single();
        return new CataloguePage(books, number, size, total);
    }

    static Book book(ResultSet rs, int row) throws SQLException {
        return new Book(rs.getLong("id"), rs.getString("slug"), rs.getString("title"), rs.getString("author"),
                rs.getString("description"), Money.of(rs.getLong("price_minor"), rs.getString("currency").trim()),
                rs.getInt("stock"), rs.getString("cover_color").trim());
    }
}
