package org.bookstore.store.notifications;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code outgoing_mail} table: every email the store sends, one row per Message-ID. Rows are claimed with a
 * conditional update before they are sent, so of all the instances exactly one sends each mail; a claim that
 * outlives its lease (its instance died mid-send) can be taken again.
 */
@Repository
class OutgoingMail {

    /** Where a mail stands. */
    enum Status {
        PENDING("pending"), SENDING("sending"), SENT("sent"), KEPT("kept"), DROPPED("dropped");

        final String code;

        Status(String code) {
            this.code = code;
        }

        static Status of(String code) {
            return Arrays.stream(values()).filter(status -> status.code.equals(code)).findFirst().orElseThrow();
        }
    }

    /** A row as the courier and the "Sent mail" page read it. */
    record Message(long id, String messageId, String kind, Long orderId, List<String> recipients, String subject, String text,
            String html, Status status, Instant sendAfter, boolean onlyIfOrderUnpaid, int attempts, String note,
            Instant createdAt, Instant sentAt) {
    }

    private static final String COLUMNS = "id, message_id, kind, order_id, recipients, subject, text_body, html_body, status, "
            + "send_after, only_if_order_unpaid, attempts, note, created_at, sent_at";
    private static final String DUE = "(status = 'pending' AND send_after <= ?) OR (status = 'sending' AND claimed_until < ?)";

    private final JdbcClient jdbc;

    OutgoingMail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean has(String messageId) {
        return jdbc.sql("SELECT COUNT(*) FROM outgoing_mail WHERE message_id = ?").param(messageId).query(Integer.class).single() > 0;
    }

    /**
     * Queues the mail unless one with its Message-ID is already there. Call it outside a transaction: on PostgreSQL
     * the losing insert of a race would otherwise spoil the transaction it ran in.
     */
    boolean queue(Mail mail, Instant now) {
        if (has(mail.messageId())) {
            return false;
        }
        try {
            jdbc.sql("INSERT INTO outgoing_mail (message_id, kind, order_id, recipients, subject, text_body, html_body, status, "
                            + "send_after, only_if_order_unpaid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)")
                    .params(mail.messageId(), mail.kind(), mail.orderId(), String.join(", ", mail.recipients()),
                            truncate(mail.subject(), 300), mail.text(), mail.html(), Timestamp.from(mail.sendAfter()),
                            mail.onlyIfOrderUnpaid(), Timestamp.from(now))
                    .update();
            return true;
        } catch (DuplicateKeyException raced) {
            return false;
        }
    }

    /** Moves a mail that is still waiting to be sent to no earlier than {@code notBefore}. */
    void postpone(String messageId, Instant notBefore) {
        jdbc.sql("UPDATE outgoing_mail SET send_after = ? WHERE message_id = ? AND status = 'pending' AND send_after < ?")
                .params(Timestamp.from(notBefore), messageId, Timestamp.from(notBefore)).update();
    }

    /** Drops the mails of {@code kind} for the order still waiting to be sent, but {@code messageId}. */
    void dropWaiting(String kind, long orderId, String messageId, String note) {
        jdbc.sql("UPDATE outgoing_mail SET status = 'dropped', note = ? WHERE kind = ? AND order_id = ? AND status = 'pending' "
                        + "AND message_id <> ?")
                .params(note, kind, orderId, messageId).update();
    }

    /** Ids of mails due at {@code now}: waiting and due, or claimed by an instance whose lease has run out. */
    List<Long> due(Instant now, int limit) {
        Timestamp at = Timestamp.from(now);
        return jdbc.sql("SELECT id FROM outgoing_mail WHERE " + DUE + " ORDER BY send_after, id LIMIT ?")
                .params(at, at, limit).query(Long.class).list();
    }

    /** Claims a due mail for {@code claimant} until {@code until}; empty if it is not due or another instance got it. */
    Optional<Message> claim(long id, String claimant, Instant now, Instant until) {
        Timestamp at = Timestamp.from(now);
        int claimed = jdbc.sql("UPDATE outgoing_mail SET status = 'sending', claimed_by = ?, claimed_until = ?, attempts = attempts + 1 "
                        + "WHERE id = ? AND (" + DUE + ")")
                .params(claimant, Timestamp.from(until), id, at, at).update();
        return claimed == 1 ? find(id) : Optional.empty();
    }

    /** Records how a claimed mail ended; does nothing if the claim was lost meanwhile. */
    void finish(long id, String claimant, Status status, Instant sentAt, String note) {
        jdbc.sql("UPDATE outgoing_mail SET status = ?, sent_at = ?, note = ?, claimed_by = NULL, claimed_until = NULL "
                        + "WHERE id = ? AND claimed_by = ?")
                .params(status.code, sentAt == null ? null : Timestamp.from(sentAt), truncate(note, 1000), id, claimant).update();
    }

    /** A send that failed: the mail waits until {@code retryAt}, with the reason for the page. */
    void retryLater(long id, String claimant, Instant retryAt, String note) {
        jdbc.sql("UPDATE outgoing_mail SET status = 'pending', send_after = ?, note = ?, claimed_by = NULL, claimed_until = NULL "
                        + "WHERE id = ? AND claimed_by = ?")
                .params(Timestamp.from(retryAt), truncate(note, 1000), id, claimant).update();
    }

    Optional<Message> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM outgoing_mail WHERE id = ?").param(id).query(this::message).optional();
    }

    /** The most recent mails, newest first. */
    List<Message> latest(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM outgoing_mail ORDER BY created_at DESC, id DESC LIMIT ?").param(limit)
                .query(this::message).list();
    }

    private Message message(ResultSet rs, int row) throws SQLException {
        long order = rs.getLong("order_id");
        Long orderId = rs.wasNull() ? null : order;
        String recipients = rs.getString("recipients");
        return new Message(rs.getLong("id"), rs.getString("message_id"), rs.getString("kind"), orderId,
                recipients.isBlank() ? List.of() : List.of(recipients.split(",\\s*")), rs.getString("subject"),
                rs.getString("text_body"), rs.getString("html_body"), Status.of(rs.getString("status")),
                instant(rs.getTimestamp("send_after")), rs.getBoolean("only_if_order_unpaid"), rs.getInt("attempts"),
                rs.getString("note"), instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("sent_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
