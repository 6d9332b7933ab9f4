package org.bookstore.store.payments.stripe;

import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This database's own id, made once and kept in it. Every idempotency key the store sends Stripe starts with it, so
 * a fresh database whose order and attempt numbers start again at 1 never replays an old key against a real account.
 */
@Component
public class Installation {

    private final JdbcClient jdbc;
    private volatile String id;

    Installation(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public String id() {
        String known = id;
        if (known == null) {
            known = read().orElseGet(this::create);
            id = known;
        }
        return known;
    }

    private String create() {
        try {
            jdbc.sql("INSERT INTO installation (id, install_id) VALUES (1, ?)")
                    .param(UUID.randomUUID().toString().replace("-", "").substring(0, 16)).update();
        } catch (DuplicateKeyException raced) {
            // Another instance made it first; use theirs.
        }
        return read().orElseThrow();
    }

    private Optional<String> read() {
        return jdbc.sql("SELECT install_id FROM installation WHERE id = 1").query(String.class).optional();
    }
}
