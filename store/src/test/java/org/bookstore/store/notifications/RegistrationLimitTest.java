package org.bookstore.store.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.bookstore.store.support.AtOnce;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * One client registering account after account: each costs a password hash and a welcome mail. Over real HTTP, with
 * a real SMTP server: past its limit an address is told to wait, and no account or mail is made, while its accounts
 * still log in; once the wait is over it may register again.
 */
@TestPropertySource(properties = "bookstore.login.max-registrations-per-address=3")
class RegistrationLimitTest extends MailScenarios {

    private static final String PASSWORD = "correct horse battery";

    @BeforeEach
    void aNewWindow() {
        jdbc.sql("DELETE FROM client_counts WHERE throttle_key LIKE 'registered:%'").update();
    }

    /** Sent all at once, registrations cannot all pass the check before any is counted. */
    @Test
    void registrationsSentAtOnceMakeNoMoreAccountsThanTheLimit() throws Exception {
        String prefix = "race-" + UUID.randomUUID();
        List<Callable<Integer>> registrations = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            HttpVisitor browser = browser();
            browser.get("/register");
            String email = prefix + "-" + i + "@example.com";
            registrations.add(() -> browser.post("/register", "name", "Racing Reader", "email", email, "password", PASSWORD).statusCode());
        }
        List<Integer> answered = AtOnce.run(registrations);
        assertThat(answered).containsOnly(200, 429);
        assertThat(answered.stream().filter(status -> status == 200).count()).isEqualTo(3);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM accounts WHERE email LIKE ?").param(prefix + "%").query(Integer.class).single())
                .isEqualTo(3);
    }

    @Test
    void anAddressPastItsLimitIsToldToWaitAndGetsNoAccountOrMailUntilTheWaitIsOver() {
        List<String> registered = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String email = "limit-" + UUID.randomUUID() + "@example.com";
            HttpResponse<String> welcome = browser().register("Limit Reader", email, PASSWORD);
            assertThat(welcome.body()).contains("Welcome to Bookstore, Limit Reader.");
            registered.add(email);
        }

        String refusedEmail = "limit-refused-" + UUID.randomUUID() + "@example.com";
        HttpVisitor fourth = browser();
        HttpResponse<String> refused = fourth.register("Refused Reader", refusedEmail, PASSWORD);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValueAsLong("Retry-After").orElse(-1)).isBetween(800L, 900L);
        assertThat(refused.uri().getPath()).isEqualTo("/register");
        assertThat(refused.body()).contains("Too many accounts were registered from your network. Please wait 15 minute(s)")
                .doesNotContain("Welcome to Bookstore, Refused Reader");
        assertThat(accounts(refusedEmail)).isZero();

        for (String email : registered) {
            eventually("the welcome to " + email + " arrived", () -> !mailsTo(email, "Welcome to Bookstore").isEmpty());
        }
        assertThat(mailsTo(refusedEmail, "Welcome to Bookstore")).isEmpty();
        HttpVisitor returning = browser();
        assertThat(returning.logIn(registered.get(0), PASSWORD).body()).as("its accounts still log in").contains("Limit Reader");

        jdbc.sql("UPDATE client_counts SET locked_until = ?, window_started = ? WHERE throttle_key LIKE 'registered:%'")
                .params(java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)),
                        java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(16 * 60)))
                .update();
        HttpResponse<String> later = fourth.register("Refused Reader", refusedEmail, PASSWORD);
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.body()).contains("Welcome to Bookstore, Refused Reader.");
        assertThat(accounts(refusedEmail)).isEqualTo(1);
        eventually("the welcome arrived once the wait was over", () -> !mailsTo(refusedEmail, "Welcome to Bookstore").isEmpty());
    }

    private HttpVisitor browser() {
        return new HttpVisitor("http://localhost:" + port);
    }

    private int accounts(String email) {
        return jdbc.sql("SELECT COUNT(*) FROM accounts WHERE email = ?").param(email).query(Integer.class).single();
    }
}
