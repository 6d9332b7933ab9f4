package org.bookstore.store.accounts;

import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Repository;

/** Accounts by email. Emails are stored trimmed and in lower case, so "Ann@Example.com" and "ann@example.com" are one account. */
@Repository
class AccountRepository implements UserDetailsService {

    private final JdbcClient jdbc;

    AccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static String normalizeEmail(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    boolean emailTaken(String email) {
        return jdbc.sql("SELECT COUNT(*) FROM accounts WHERE email = ?").param(normalizeEmail(email))
                .query(Integer.class).single() > 0;
    }

    /** Inserts the account; a duplicate email raises DuplicateKeyException from the unique constraint. */
    long create(String email, String name, String passwordHash) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO accounts (email, name, password_hash) VALUES (?, ?, ?)")
                .params(normalizeEmail(email), name.trim(), passwordHash)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    /** Makes the account an admin with this password, creating it if need be. Returns true if it was created. */
    boolean makeAdmin(String email, String name, String passwordHash) {
        int updated = jdbc.sql("UPDATE accounts SET role = 'ADMIN', password_hash = ? WHERE email = ?")
                .params(passwordHash, normalizeEmail(email)).update();
        if (updated > 0) {
            return false;
        }
        jdbc.sql("INSERT INTO accounts (email, name, password_hash, role) VALUES (?, ?, ?, 'ADMIN')")
                .params(normalizeEmail(email), name, passwordHash).update();
        return true;
    }

    boolean anyAdmin() {
        return jdbc.sql("SELECT COUNT(*) FROM accounts WHERE role = 'ADMIN'").query(Integer.class).single() > 0;
    }

    Optional<BuyerPrincipal> findByEmail(String email) {
        return jdbc.sql("SELECT id, email, name, password_hash, role FROM accounts WHERE email = ?")
                .param(normalizeEmail(email))
                .query((rs, row) -> new BuyerPrincipal(rs.getLong("id"), rs.getString("email"), rs.getString("name"),
                        rs.getString("password_hash"), rs.getString("role")))
                .optional();
    }

    @Override
    public BuyerPrincipal loadUserByUsername(String email) {
        return findByEmail(email).orElseThrow(() -> new UsernameNotFoundException("No account for that email"));
    }
}
