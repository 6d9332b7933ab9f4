package org.bookstore.store.accounts;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a password is strong enough for the shop owner's account, which can refund money: at least 12 characters,
 * not a well-known password, not the email, and not one character or one run repeated. Says why not, in plain words.
 */
final class PasswordStrength {

    static final int MIN = 12;
    private static final Set<String> COMMON = Set.of("password1234", "123456789012", "qwertyuiop12", "administrator",
            "changeme1234", "letmein12345", "welcome12345", "bookstore123", "passw0rd1234", "adminadmin12", "iloveyou1234");

    private PasswordStrength() {}

    static Optional<String> problem(String password, String email) {
        if (password == null || password.length() < MIN) {
            return Optional.of("must be at least " + MIN + " characters long");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            return Optional.of("must be at most 72 bytes long (BCrypt ignores the rest)");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON.contains(lower) || lower.startsWith("password") || lower.startsWith("admin")) {
            return Optional.of("is a well-known password");
        }
        String localPart = email == null ? "" : email.toLowerCase(Locale.ROOT).split("@")[0];
        if (localPart.length() >= 4 && lower.contains(localPart)) {
            return Optional.of("must not contain the email address");
        }
        if (password.chars().distinct().count() < 6) {
            return Optional.of("uses too few different characters");
        }
        return Optional.empty();
    }
}
