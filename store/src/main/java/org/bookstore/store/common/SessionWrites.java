package org.bookstore.store.common;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

/**
 * A session's last access is written at most once a minute instead of on every request. Each of those writes was a
 * durable commit, tens of milliseconds on a busy disk, on every page a logged-in buyer opened. A new id (at log-in),
 * timeout or principal is still written at once; a week-long session may end up to a minute early.
 */
@Configuration
class SessionWrites {

    static final long TOUCH_EVERY_MILLIS = 60_000;

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> lastAccessWrittenOncePerMinute() {
        // The repository binds id, last access, timeout, expiry, principal, primary key in that order; a row that
        // needs no change is left alone, so the transaction writes nothing and commits without waiting for the disk.
        return sessions -> sessions.setUpdateSessionQuery("MERGE INTO %TABLE_NAME% s USING (VALUES (CAST(? AS CHAR(36)),"
                + " CAST(? AS BIGINT), CAST(? AS INT), CAST(? AS BIGINT), CAST(? AS VARCHAR(100)), CAST(? AS CHAR(36))))"
                + " AS v (session_id, last_access_time, max_inactive_interval, expiry_time, principal_name, primary_id)"
                + " ON s.PRIMARY_ID = v.primary_id"
                + " WHEN MATCHED AND (s.SESSION_ID <> v.session_id OR s.MAX_INACTIVE_INTERVAL <> v.max_inactive_interval"
                + " OR s.PRINCIPAL_NAME IS DISTINCT FROM v.principal_name"
                + " OR v.last_access_time - s.LAST_ACCESS_TIME >= " + TOUCH_EVERY_MILLIS + ")"
                + " THEN UPDATE SET SESSION_ID = v.session_id, LAST_ACCESS_TIME = v.last_access_time,"
                + " MAX_INACTIVE_INTERVAL = v.max_inactive_interval, EXPIRY_TIME = v.expiry_time, PRINCIPAL_NAME = v.principal_name");
    }
}
