package org.bookstore.store.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.bookstore.store.support.AtOnce;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Someone guessing a buyer's password with many connections at once. Over real HTTP: each attempt is counted before
 * its password is checked, so no more than the account's limit (5) are ever checked, however many arrive together;
 * after that even the right password waits out the lock-out. Failed log-ins write no session.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class LogInGuessingTest {

    private static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @Test
    void guessesSentAtOnceAreNoMoreThanTheAccountsLimitAndTheRightPasswordThenWaits() throws Exception {
        String email = "guessed-" + UUID.randomUUID() + "@example.com";
        browser().register("Guessed Reader", email, PASSWORD);
        int sessions = sessions();

        List<Callable<String>> guesses = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            HttpVisitor guesser = browser();
            guesser.get("/login");
            String guess = "wrong guess " + i;
            guesses.add(() -> {
                HttpResponse<String> answer = guesser.postWithoutFollowing("/login", "email", email, "password", guess);
                assertThat(guesser.cookie("SESSION")).as("a failed log-in makes no session").isNull();
                return answer.headers().firstValue("Location").orElse("");
            });
        }
        List<String> answers = AtOnce.run(guesses);

        assertThat(answers).allMatch(location -> location.endsWith("/login?error") || location.contains("/login?locked="));
        assertThat(answers.stream().filter(location -> location.endsWith("/login?error")).count())
                .as("passwords checked").isEqualTo(5);
        assertThat(sessions()).as("no session rows from the guesses").isEqualTo(sessions);

        HttpResponse<String> owner = browser().logIn(email, PASSWORD);
        assertThat(owner.uri().toString()).contains("/login?locked=15");
        assertThat(owner.body()).contains("Too many failed log-ins. For your security, please wait 15 minute(s)");
    }

    @Test
    void aBuyerLoggingInAgainAndAgainIsNeverLockedOut() {
        String email = "returning-" + UUID.randomUUID() + "@example.com";
        browser().register("Returning Reader", email, PASSWORD);
        for (int i = 0; i < 12; i++) {
            assertThat(browser().logIn(email, PASSWORD).body()).as("log-in " + (i + 1)).contains("Returning Reader");
        }
        HttpVisitor typo = browser();
        assertThat(typo.logIn(email, "not my password").uri().toString()).endsWith("/login?error");
        assertThat(typo.logIn(email, PASSWORD).body()).contains("Returning Reader");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM known_devices d JOIN accounts a ON a.id = d.account_id WHERE a.email = ?")
                .param(email).query(Integer.class).single()).as("browsers kept for the account, the most recent")
                .isEqualTo(KnownDevices.MOST_PER_ACCOUNT);
    }

    @Test
    void someoneElsesGuessesDoNotLockTheBuyerOutOfABrowserTheyLoggedInFromBefore() {
        String email = "known-" + UUID.randomUUID() + "@example.com";
        HttpVisitor buyersBrowser = browser();
        buyersBrowser.register("Known Reader", email, PASSWORD);
        buyersBrowser.get("/");
        buyersBrowser.post("/logout");

        HttpVisitor guesser = browser();
        for (int i = 0; i < 6; i++) {
            guesser.logIn(email, "wrong guess " + i);
        }
        assertThat(guesser.logIn(email, PASSWORD).uri().toString()).as("the guesser, even with the right password")
                .contains("/login?locked=15");
        assertThat(browser().logIn(email, PASSWORD).uri().toString()).as("a browser the buyer never used")
                .contains("/login?locked=15");

        HttpResponse<String> buyer = buyersBrowser.logIn(email, PASSWORD);
        assertThat(buyer.uri().toString()).doesNotContain("/login");
        assertThat(buyer.body()).contains("Known Reader");
    }

    @Test
    void aKnownBrowsersOwnWrongPasswordsStillLockItAndItsCookieOpensNoOtherAccount() {
        String email = "typist-" + UUID.randomUUID() + "@example.com";
        String other = "other-" + UUID.randomUUID() + "@example.com";
        browser().register("Other Reader", other, PASSWORD);
        HttpVisitor knownBrowser = browser();
        knownBrowser.register("Typing Reader", email, PASSWORD);
        knownBrowser.get("/");
        knownBrowser.post("/logout");
        String token = knownBrowser.cookie(KnownDevices.COOKIE);
        assertThat(token).as("the browser is known to the account").isNotNull();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM known_devices WHERE token_digest = ?").param(token).query(Integer.class).single())
                .as("the token itself is not kept").isZero();

        for (int i = 0; i < 5; i++) {
            assertThat(knownBrowser.logIn(email, "typo " + i).uri().toString()).endsWith("/login?error");
        }
        assertThat(knownBrowser.logIn(email, PASSWORD).uri().toString()).contains("/login?locked=15");

        HttpVisitor guesser = browser();
        for (int i = 0; i < 5; i++) {
            guesser.logIn(other, "wrong guess " + i);
        }
        HttpVisitor withCopiedCookie = HttpVisitor.withCookie("http://localhost:" + port, KnownDevices.COOKIE, token);
        assertThat(withCopiedCookie.logIn(other, PASSWORD).uri().toString()).as("another account's lock-out holds")
                .contains("/login?locked=15");
    }

    @Test
    void loggingInAgainAndAgainKeepsOnlyTheAccountsMostRecentSessions() {
        String email = "often-" + UUID.randomUUID() + "@example.com";
        HttpVisitor first = browser();
        first.register("Often Reader", email, PASSWORD);
        assertThat(first.get("/orders").body()).contains("Often Reader");
        HttpVisitor last = null;
        for (int i = 0; i < AccountSessions.MOST_KEPT + 5; i++) {
            last = browser();
            assertThat(last.logIn(email, PASSWORD).body()).contains("Often Reader");
        }

        assertThat(jdbc.sql("SELECT COUNT(*) FROM SPRING_SESSION WHERE PRINCIPAL_NAME = ?").param(email).query(Integer.class).single())
                .as("the account's sessions").isEqualTo(AccountSessions.MOST_KEPT + 1);
        assertThat(last.get("/orders").body()).as("the latest log-in").contains("Often Reader");
        assertThat(first.get("/orders").uri().getPath()).as("the oldest session, ended").isEqualTo("/login");
    }

    private HttpVisitor browser() {
        return new HttpVisitor("http://localhost:" + port);
    }

    private int sessions() {
        return jdbc.sql("SELECT COUNT(*) FROM SPRING_SESSION").query(Integer.class).single();
    }
}
