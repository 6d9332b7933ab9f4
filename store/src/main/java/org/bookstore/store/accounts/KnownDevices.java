package org.bookstore.store.accounts;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.util.WebUtils;

/**
 * The browsers an account has logged in from (a "device cookie"). Five wrong passwords lock an account out for a
 * while, so anyone who knows a buyer's email could keep the buyer out; a browser the buyer has logged in from before
 * is counted on its own instead, and someone else's guesses do not lock it. Its own wrong passwords are limited the
 * same way. The cookie holds a random token and goes only to the log-in form; the database keeps only the token's
 * digest, for at most {@value #MOST_PER_ACCOUNT} browsers an account (the most recently used), each forgotten a year
 * after its last log-in.
 */
@Component
class KnownDevices {

    static final String COOKIE = "bookstore_device";
    static final int MOST_PER_ACCOUNT = 10;
    private static final Duration LASTS = Duration.ofDays(365);
    /** A known browser's last use is written at most this often, not at every log-in. */
    private static final Duration TOUCH_EVERY = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    KnownDevices(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The digest of this browser's token if it has logged in to the account {@code email} before, within a year. */
    Optional<String> recognised(HttpServletRequest request, String email) {
        String digest = digestOf(request);
        if (digest == null) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT d.token_digest FROM known_devices d JOIN accounts a ON a.id = d.account_id "
                        + "WHERE d.token_digest = ? AND a.email = ? AND d.last_used_at > ?")
                .param(digest).param(AccountRepository.normalizeEmail(email)).param(Timestamp.from(clock.instant().minus(LASTS)))
                .query(String.class).optional();
    }

    /**
     * After a log-in: this browser is known to the account from now on. A browser already known has its last use
     * moved on (once a day at most); any other is given a new token, and the account's oldest browsers beyond the
     * most it keeps are forgotten.
     */
    void remember(HttpServletRequest request, HttpServletResponse response, long accountId) {
        var now = clock.instant();
        String digest = digestOf(request);
        if (digest != null) {
            int touched = jdbc.sql("UPDATE known_devices SET last_used_at = ? WHERE token_digest = ? AND account_id = ? "
                            + "AND last_used_at < ?")
                    .param(Timestamp.from(now)).param(digest).param(accountId).param(Timestamp.from(now.minus(TOUCH_EVERY)))
                    .update();
            boolean known = touched > 0 || jdbc.sql("SELECT COUNT(*) FROM known_devices WHERE token_digest = ? AND account_id = ?")
                    .param(digest).param(accountId).query(Integer.class).single() > 0;
            if (known) {
                return;
            }
        }
        byte[] token = new byte[32];
        random.nextBytes(token);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        jdbc.sql("INSERT INTO known_devices (token_digest, account_id, created_at, last_used_at) VALUES (?, ?, ?, ?)")
                .param(digest(value)).param(accountId).param(Timestamp.from(now)).param(Timestamp.from(now)).update();
        jdbc.sql("DELETE FROM known_devices WHERE account_id = ? AND token_digest NOT IN (SELECT token_digest FROM "
                        + "known_devices WHERE account_id = ? ORDER BY last_used_at DESC, created_at DESC LIMIT " + MOST_PER_ACCOUNT + ")")
                .param(accountId).param(accountId).update();
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(COOKIE, value).path(SecurityConfig.LOGIN_PATH)
                .maxAge(LASTS).httpOnly(true).secure(request.isSecure()).sameSite("Lax").build().toString());
    }

    private static String digestOf(HttpServletRequest request) {
        Cookie cookie = WebUtils.getCookie(request, COOKIE);
        // A token is 43 characters: anything else is not one of ours, and is not looked up.
        return cookie == null || cookie.getValue() == null || !cookie.getValue().matches("[A-Za-z0-9_-]{43}")
                ? null : digest(cookie.getValue());
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
