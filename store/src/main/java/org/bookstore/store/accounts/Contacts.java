package org.bookstore.store.accounts;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Who to write to: a buyer by their account, and the shop's admins (accounts whose role is ADMIN). */
@Component
public class Contacts {

    /** An account's address and the name it registered with. */
    public record Contact(long accountId, String email, String name) {
    }

    private final JdbcClient jdbc;

    Contacts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Contact> of(long accountId) {
        return jdbc.sql("SELECT id, email, name FROM accounts WHERE id = ?").param(accountId)
                .query((rs, row) -> new Contact(rs.getLong("id"), rs.getString("email"), rs.getString("name"))).optional();
    }

    public List<String> adminEmails() {
        return jdbc.sql("SELECT email FROM accounts WHERE role = 'ADMIN' ORDER BY id").query(String.class).list();
    }
}
