package org.bookstore.store.accounts;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * An account's logged-in sessions, kept to the most recently used. Each log-in makes a session that lasts a week, so
 * a script logging in again and again with the right password (a new cookie jar each time) made a week-long session
 * row a log-in, without end. At each log-in the account's sessions beyond the {@value #MOST_KEPT} most recently used
 * are ended: those browsers are logged out, as after a week away.
 */
@Component
class AccountSessions {

    static final int MOST_KEPT = 20;

    private final JdbcClient jdbc;

    AccountSessions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Ends the sessions of {@code principal} beyond the most recently used ones (the new log-in's is not saved yet). */
    void keepMostRecent(String principal) {
        jdbc.sql("DELETE FROM SPRING_SESSION WHERE PRINCIPAL_NAME = ? AND PRIMARY_ID NOT IN (SELECT PRIMARY_ID FROM "
                        + "SPRING_SESSION WHERE PRINCIPAL_NAME = ? ORDER BY LAST_ACCESS_TIME DESC LIMIT " + MOST_KEPT + ")")
                .param(principal).param(principal).update();
    }
}
