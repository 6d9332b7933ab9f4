package org.bookstore.store.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.bookstore.store.common.Money;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Repository;

/** The books in the database: what the rest of the store asks about a book goes through here. */
@Repository
public class Catalog {

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);
    private static final Duration KEPT_AT_MOST = Duration.ofMinutes(1);
    private static final String COLUMNS = "id, slug, title, author, description, price_minor, currency, stock, cover_color, archived_at";

    private final JdbcClient jdbc;
    private volatile Boolean postgres;

    private final DataSource dataSource;
    /** Rankings and counts kept while the listing token stays: bounded by the searches' text, which may be long. */
    private final Cache<Object, Kept> keptListings = Caffeine.newBuilder().maximumWeight(4L << 20)
            .weigher((Object key, Kept kept) -> 64
                    + (key instanceof RankingKey ranking ? 2 * ranking.text().length() + 8 * ranking.size() : 0))
            .expireAfterWrite(KEPT_AT_MOST).build();
    private final AtomicBoolean unreadableTokenLogged = new AtomicBoolean();

    Catalog(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    public Optional<Book> findById(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM books WHERE id = ?").param(id).query(Catalog::book).optional();
    }

    public Optional<Book> findBySlug(String slug) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM books WHERE slug = ?").param(slug).query(Catalog::book).optional();
    }

    /**
     * A page of the catalogue in the given order (ties broken by id), starting after the book {@code afterId} or
     * ending before {@code beforeId} (both null: the first page). Keyset paging: the database walks an index from
     * the cursor's position, so a page deep in a large catalogue costs what the first does, where OFFSET would read
     * and skip every book before it. Empty if the cursor's book is gone.
     */
    public CataloguePage page(Sorting sorting, Long afterId, Long beforeId, int size) {
        if (sorting == Sorting.RELEVANCE) {
            throw new IllegalArgumentException("The catalogue has no relevance order");
        }
        long total = keptWhileListingStays("books on sale",
                () -> jdbc.sql("SELECT COUNT(*) FROM books WHERE archived_at IS NULL").query(Long.class).single());
        Long cursorId = afterId != null ? afterId : beforeId;
        boolean forward = beforeId == null;
        String key = sorting.column();
        String direction = forward == sorting.ascending() ? "ASC" : "DESC";
        String order = " ORDER BY " + key + " " + direction + ", id " + direction + " LIMIT ?";
        List<Book> books;
        if (cursorId == null) {
            books = jdbc.sql("SELECT " + COLUMNS + " FROM books WHERE archived_at IS NULL" + order).param(size + 1).query(Catalog::book).list();
        } else {
            Optional<Object> cursorKey = jdbc.sql("SELECT " + key + " FROM books WHERE id = ?").param(cursorId)
                    .query((rs, row) -> rs.getObject(1)).optional();
            if (cursorKey.isEmpty()) {
                return new CataloguePage(List.of(), sorting, total, false, false);
            }
            String comparison = "ASC".equals(direction) ? ">" : "<";
            books = jdbc.sql("SELECT " + COLUMNS + " FROM books WHERE archived_at IS NULL AND (" + key + ", id) " + comparison + " (?, ?)" + order)
                    .param(cursorKey.get()).param(cursorId).param(size + 1).query(Catalog::book).list();
        }
        boolean more = books.size() > size;
        List<Book> shown = new ArrayList<>(more ? books.subList(0, size) : books);
        if (!forward) {
            Collections.reverse(shown);
        }
        return forward ? new CataloguePage(shown, sorting, total, cursorId != null, more)
                : new CataloguePage(shown, sorting, total, more, true);
    }

    /**
     * Books matching a search, a page at a time. PostgreSQL ranks them with its full-text search (stemmed words,
     * title above author above description, through a GIN index); other databases match each word in the title,
     * author or description and rank by where it was found.
     * <p>The ranking (which books, in which order, how many in all) is the costly part: PostgreSQL reads every
     * match's search vector, a tenth of a second for a common word in 100,000 books. On PostgreSQL it is kept for as
     * long as nothing that matches or orders books changed ({@link V34__CatalogueListingVersion}, at most a minute);
     * the books shown are read afresh every time, so a new price or stock shows as soon as the page is rendered again.
     */
    public SearchResults search(SearchQuery query, Sorting sorting, int page, int size) {
        if (query.isBlank() || (query.words().isEmpty() && !isPostgres())) {
            return new SearchResults(query, List.of(), sorting, page, size, 0);
        }
        Ranking ranking = keptWhileListingStays(new RankingKey(query.text(), sorting, page, size),
                () -> rank(query, sorting, page, size));
        Map<Long, Book> found = new HashMap<>();
        if (!ranking.ids().isEmpty()) {
            String ids = String.join(", ", Collections.nCopies(ranking.ids().size(), "?"));
            jdbc.sql("SELECT " + COLUMNS + " FROM books WHERE archived_at IS NULL AND id IN (" + ids + ")").params(ranking.ids())
                    .query(Catalog::book).list().forEach(book -> found.put(book.id(), book));
        }
        List<SearchResults.Match> matches = ranking.ids().stream().map(found::get).filter(Objects::nonNull)
                .map(book -> new SearchResults.Match(book, Highlight.marked(book.title(), query.words()),
                        Highlight.marked(book.author(), query.words()), Highlight.excerpt(book.description(), query.words())))
                .toList();
        return new SearchResults(query, matches, sorting, page, size, ranking.total());
    }

    /** Which books a page of a search shows, in order, and how many match in all. */
    private record Ranking(List<Long> ids, long total) {
    }

    private record RankingKey(String text, Sorting sorting, int page, int size) {
    }

    private Ranking rank(SearchQuery query, Sorting sorting, int page, int size) {
        String order = switch (sorting) {
            case RELEVANCE -> "rank DESC, title, id";
            case TITLE -> "title, id";
            case PRICE -> "price_minor, id";
            case NEWEST -> "created_at DESC, id DESC";
        };
        List<Object> params = new ArrayList<>();
        String sql;
        if (isPostgres()) {
            sql = "SELECT id, ts_rank(search_vector, q) AS rank, COUNT(*) OVER () AS total"
                    + " FROM books, websearch_to_tsquery('english', ?) q WHERE search_vector @@ q AND archived_at IS NULL";
            params.add(query.text());
        } else {
            StringBuilder rank = new StringBuilder("0");
            StringBuilder where = new StringBuilder("archived_at IS NULL");
            for (String word : query.words()) {
                String pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
                rank.append(" + CASE WHEN LOWER(title) LIKE ? ESCAPE '\\' THEN 3 ELSE 0 END")
                        .append(" + CASE WHEN LOWER(author) LIKE ? ESCAPE '\\' THEN 2 ELSE 0 END")
                        .append(" + CASE WHEN LOWER(description) LIKE ? ESCAPE '\\' THEN 1 ELSE 0 END");
                params.addAll(List.of(pattern, pattern, pattern));
            }
            for (String word : query.words()) {
                String pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
                where.append(" AND (LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(author) LIKE ? ESCAPE '\\'"
                        + " OR LOWER(description) LIKE ? ESCAPE '\\')");
                params.addAll(List.of(pattern, pattern, pattern));
            }
            sql = "SELECT id, " + rank + " AS rank, COUNT(*) OVER () AS total FROM books WHERE " + where;
        }
        params.add(size);
        params.add((long) (page - 1) * size);
        long[] total = {0};
        List<Long> ids = jdbc.sql(sql + " ORDER BY " + order + " LIMIT ? OFFSET ?").params(params)
                .query((rs, row) -> {
                    total[0] = rs.getLong("total");
                    return rs.getLong("id");
                }).list();
        if (ids.isEmpty() && page > 1) {
            total[0] = jdbc.sql("SELECT COUNT(*) FROM (" + sql + ") found").params(params.subList(0, params.size() - 2))
                    .query(Long.class).single();
        }
        return new Ranking(List.copyOf(ids), total[0]);
    }

    /**
     * What {@code work} works out, kept on PostgreSQL while the catalogue's listing token (renewed by the database
     * whenever books are added, removed, or change what matches or orders them) stays, and at most
     * {@link #KEPT_AT_MOST} in case a change went around the trigger (one disabled by hand); worked out afresh
     * elsewhere, or when the token cannot be read. The token is read before the work, so what is kept is never older
     * than the token it is kept under.
     */
    @SuppressWarnings("unchecked")
    private <T> T keptWhileListingStays(Object key, Supplier<T> work) {
        if (!isPostgres()) {
            return work.get();
        }
        String token;
        try {
            token = jdbc.sql("SELECT token::text FROM catalogue_listing_version").query(String.class).optional().orElse(null);
        } catch (DataAccessException unreadable) {
            token = null;
        }
        if (token == null) {
            if (!unreadableTokenLogged.getAndSet(true)) {
                log.warn("The catalogue's listing version cannot be read: searches are ranked afresh every time");
            }
            return work.get();
        }
        Kept kept = keptListings.getIfPresent(key);
        if (kept != null && kept.token().equals(token)) {
            return (T) kept.value();
        }
        T value = work.get();
        keptListings.put(key, new Kept(token, value));
        return value;
    }

    private record Kept(String token, Object value) {
    }

    private boolean isPostgres() {
        Boolean known = postgres;
        if (known == null) {
            try {
                known = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName)
                        .toLowerCase(Locale.ROOT).contains("postgres");
            } catch (MetaDataAccessException e) {
                throw new IllegalStateException("Cannot tell which database the catalogue is in", e);
            }
            postgres = known;
        }
        return known;
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
