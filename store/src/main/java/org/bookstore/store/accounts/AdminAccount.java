package org.bookstore.store.accounts;

import java.security.SecureRandom;
import java.util.Optional;
import org.bookstore.store.common.PublicUrl;
import org.bookstore.store.common.StartupNote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The shop owner's account. No password ships with the store: {@code bookstore.admin.email} and
 * {@code bookstore.admin.password} (BOOKSTORE_ADMIN_EMAIL / BOOKSTORE_ADMIN_PASSWORD) make that account an admin at
 * startup, or reset its password, and a weak password stops the store starting. With neither set and no Stripe key
 * (the local emulator, a demo), a demo admin is made once with a random password, printed that one time.
 */
@Component
class AdminAccount implements ApplicationRunner, StartupNote {

    static final String ROLE = "ADMIN";
    static final String DEMO_EMAIL = "admin@bookstore.test";
    private static final Logger log = LoggerFactory.getLogger(AdminAccount.class);
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    @ConfigurationProperties("bookstore.admin")
    record Settings(String email, String password) {
        boolean configured() {
            return email != null && !email.isBlank();
        }
    }

    private final Settings settings;
    private final AccountRepository accounts;
    private final PasswordEncoder encoder;
    private final String stripeSecretKey;
    private final PublicUrl publicUrl;
    /** How to reach the back office, for the startup summary; set when the account has been seen to. */
    private volatile String howToLogIn;

    AdminAccount(Settings settings, AccountRepository accounts, PasswordEncoder encoder,
            @Value("${bookstore.stripe.secret-key:}") String stripeSecretKey, PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
        this.settings = settings;
        this.accounts = accounts;
        this.encoder = encoder;
        this.stripeSecretKey = stripeSecretKey;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        if (settings.configured()) {
            String email = settings.email().strip();
            if (!email.matches("[^@\\s]{1,64}@[^@\\s]{1,190}")) {
                throw new IllegalStateException("bookstore.admin.email is not an email address: " + email);
            }
            Optional<String> weak = PasswordStrength.problem(settings.password(), email);
            if (weak.isPresent()) {
                throw new IllegalStateException("The admin password (bookstore.admin.password, BOOKSTORE_ADMIN_PASSWORD) "
                        + weak.get() + ". Choose a stronger one; the store did not start.");
            }
            boolean created = save(email, settings.password());
            log.info("{} the admin account {}", created ? "Created" : "Made sure of (and set the password of)", email);
            howToLogIn = "Back office: " + publicUrl.get() + "/admin, log in as " + email + " (BOOKSTORE_ADMIN_EMAIL)";
            return;
        }
        if (stripeSecretKey != null && !stripeSecretKey.isBlank()) {
            if (!accounts.anyAdmin()) {
                log.warn("No admin account: set BOOKSTORE_ADMIN_EMAIL and BOOKSTORE_ADMIN_PASSWORD to make one and use /admin");
                howToLogIn = "Back office: " + publicUrl.get() + "/admin needs an admin: set BOOKSTORE_ADMIN_EMAIL and BOOKSTORE_ADMIN_PASSWORD";
            } else {
                howToLogIn = "Back office: " + publicUrl.get() + "/admin, log in with an admin account";
            }
            return;
        }
        howToLogIn = "Back office: " + publicUrl.get() + "/admin, log in as an admin (the demo one, " + DEMO_EMAIL
                + ", with the password printed when it was made; set BOOKSTORE_ADMIN_EMAIL and BOOKSTORE_ADMIN_PASSWORD"
                + " to choose your own)";
        if (accounts.anyAdmin()) {
            return;
        }
        String password = randomPassword();
        boolean created;
        try {
            created = accounts.makeAdmin(DEMO_EMAIL, "Shop owner", encoder.encode(password));
        } catch (DuplicateKeyException anotherInstance) {
            return;
        }
        if (created) {
            // Printed once, when it is made: it is stored only as a hash.
            log.warn("""

                    ==================================================================
                      Demo back office: {}/admin
                      Log in as {} with password {}
                      Shown only now. Set BOOKSTORE_ADMIN_EMAIL and BOOKSTORE_ADMIN_PASSWORD
                      to choose your own admin (or reset this one's password).
                    ==================================================================""", publicUrl.get(), DEMO_EMAIL, password);
            howToLogIn = "Back office: " + publicUrl.get() + "/admin, log in as " + DEMO_EMAIL + " with the password printed above";
        }
    }

    @Override
    public Optional<String> line() {
        return Optional.ofNullable(howToLogIn);
    }

    private boolean save(String email, String password) {
        try {
            return accounts.makeAdmin(email, "Shop owner", encoder.encode(password));
        } catch (DuplicateKeyException raced) {
            // Another instance made it at the same moment; this one sets the password again.
            return accounts.makeAdmin(email, "Shop owner", encoder.encode(password));
        }
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                password.append('-');
            }
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
