package org.bookstore.store.admin;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Every back-office action: who, when, what, and the order or book it touched; shown on that order or book. */
@Component
class AuditTrail {

    record Entry(String actor, String action, Long orderId, Long bookId, String detail, Instant at) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    AuditTrail(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void record(BuyerPrincipal who, String action, Long orderId, Long bookId, String detail) {
        jdbc.sql("INSERT INTO admin_actions (actor_id, actor, action, order_id, book_id, detail, done_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(who == null ? null : who.accountId(), who == null ? "scheduled re-check" : who.email(), action, orderId, bookId,
                        detail.length() > 2000 ? detail.substring(0, 2000) : detail, Timestamp.from(clock.instant()))
                .update();
    }

    List<Entry> forOrder(long orderId) {
        return jdbc.sql("SELECT actor, action, order_id, book_id, detail, done_at FROM admin_actions WHERE order_id = ? ORDER BY done_at DESC, id DESC")
                .param(orderId).query(AuditTrail::entry).list();
    }

    List<Entry> forBook(long bookId) {
        return jdbc.sql("SELECT actor, action, order_id, book_id, detail, done_at FROM admin_actions WHERE book_id = ? ORDER BY done_at DESC, id DESC")
                .param(bookId).query(AuditTrail::entry).list();
    }

    List<Entry> recent(int limit) {
        return jdbc.sql("SELECT actor, action, order_id, book_id, detail, done_at FROM admin_actions ORDER BY done_at DESC, id DESC LIMIT ?")
                .param(limit).query(AuditTrail::entry).list();
    }

    private static Entry entry(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        long order = rs.getLong("order_id");
        Long orderId = rs.wasNull() ? null : order;
        long book = rs.getLong("book_id");
        Long bookId = rs.wasNull() ? null : book;
        return new Entry(rs.getString("actor"), rs.getString("action"), orderId, bookId, rs.getString("detail"),
                rs.getTimestamp("done_at").toInstant());
    }
}
