package org.bookstore.store.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Visitor.body;

import java.util.UUID;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

@StoreTest
class AccountsTest {

    private static final String PASSWORD = "correct horse battery";

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @Test
    void registeringLogsTheBuyerInAndLandsOnTheHomepage() {
        Visitor buyer = new Visitor(mvc);
        String email = uniqueEmail();

        MockHttpServletResponse registered = buyer.register("Ada Lovelace", email, PASSWORD);

        assertThat(buyer.redirectedTo()).isEqualTo("/");
        String home = body(registered);
        assertThat(home).contains("Ada Lovelace", "Log out").doesNotContain(">Log in<");
    }

    @Test
    void passwordsAreStoredAsBcryptHashesNeverInPlainText() {
        String email = uniqueEmail();
        new Visitor(mvc).register("Ada", email, PASSWORD);

        String hash = jdbc.sql("SELECT password_hash FROM accounts WHERE email = ?").param(email).query(String.class).single();
        assertThat(hash).startsWith("{bcrypt}$2").doesNotContain(PASSWORD);
    }

    @Test
    void registrationExplainsEachInvalidField() {
        MockHttpServletResponse response = new Visitor(mvc).register("", "not-an-email", "short");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(body(response)).contains("Please enter your name.", "That does not look like an email address.",
                "Your password must be 8 to 64 characters long.");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM accounts WHERE email = 'not-an-email'").query(Integer.class).single()).isZero();
    }

    @Test
    void aDuplicateEmailIsRefusedClearlyWhateverItsCase() {
        String email = uniqueEmail();
        new Visitor(mvc).register("First", email, PASSWORD);

        MockHttpServletResponse second = new Visitor(mvc).register("Second", "  " + email.toUpperCase() + " ", PASSWORD);

        assertThat(body(second)).contains("An account with this email already exists.");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM accounts WHERE email = ?").param(email).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void logInAndLogOut() {
        String email = uniqueEmail();
        new Visitor(mvc).register("Grace Hopper", email, PASSWORD);
        Visitor buyer = new Visitor(mvc);

        MockHttpServletResponse loggedIn = buyer.logIn(email, PASSWORD);
        assertThat(buyer.redirectedTo()).isEqualTo("/");
        assertThat(body(loggedIn)).contains("Grace Hopper");

        MockHttpServletResponse loggedOut = buyer.logOut();
        assertThat(body(loggedOut)).contains(">Log in<").doesNotContain("Grace Hopper");
    }

    @Test
    void aWrongPasswordIsRefusedWithAMessage() {
        String email = uniqueEmail();
        new Visitor(mvc).register("Grace", email, PASSWORD);
        Visitor buyer = new Visitor(mvc);

        MockHttpServletResponse refused = buyer.logIn(email, "wrong password");

        assertThat(buyer.redirectedTo()).isEqualTo("/login?error");
        assertThat(body(refused)).contains("That email and password do not match an account.");
    }

    @Test
    void afterLoggingInTheBuyerLandsWhereTheyWereHeaded() {
        String email = uniqueEmail();
        new Visitor(mvc).register("Grace", email, PASSWORD);
        Visitor buyer = new Visitor(mvc);

        MockHttpServletResponse checkout = buyer.get("/checkout");
        assertThat(buyer.redirectedTo()).endsWith("/login");

        MockHttpServletResponse loggedIn = buyer.logIn(email, PASSWORD);
        assertThat(buyer.redirectedTo()).contains("/checkout");
    }

    @Test
    void repeatedFailedLogInsLockTheAccountEvenForTheRightPassword() {
        String email = uniqueEmail();
        new Visitor(mvc).register("Target", email, PASSWORD);
        Visitor attacker = new Visitor(mvc);
        for (int i = 0; i < 5; i++) {
            attacker.logIn(email, "guess " + i);
            assertThat(attacker.redirectedTo()).isEqualTo("/login?error");
        }

        Visitor owner = new Visitor(mvc);
        MockHttpServletResponse locked = owner.logIn(email, PASSWORD);

        assertThat(owner.redirectedTo()).startsWith("/login?locked=");
        assertThat(body(locked)).contains("Too many failed log-ins");
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        String email = uniqueEmail();

        MockHttpServletResponse forged = new Visitor(mvc).postWithoutCsrf("/register", "name", "Mallory", "email", email,
                "password", PASSWORD);

        assertThat(forged.getStatus()).isEqualTo(403);
        assertThat(forged.getForwardedUrl()).isEqualTo("/forbidden");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM accounts WHERE email = ?").param(email).query(Integer.class).single()).isZero();
    }

    static String uniqueEmail() {
        return "buyer-" + UUID.randomUUID() + "@example.com";
    }
}
