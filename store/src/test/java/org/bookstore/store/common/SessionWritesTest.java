package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Visitor.body;

import java.util.UUID;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.test.web.servlet.MockMvc;

/** A logged-in buyer's pages do not each rewrite their session; the session still works and is kept alive. */
@StoreTest
class SessionWritesTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SessionRepository<?> sessions;

    @Test
    void pagesWithinAMinuteLeaveTheSessionRowAloneAndALaterOneKeepsItAlive() {
        Visitor buyer = new Visitor(mvc);
        String email = "session-" + UUID.randomUUID() + "@example.com";
        buyer.register("Session Keeper", email, "correct horse battery");
        long touched = lastAccess(email);

        for (String page : new String[] {"/", "/cart", "/books/working-in-public", "/orders"}) {
            assertThat(body(buyer.get(page))).as(page).contains("Session Keeper");
        }
        assertThat(lastAccess(email)).isEqualTo(touched);

        jdbc.sql("UPDATE SPRING_SESSION SET LAST_ACCESS_TIME = LAST_ACCESS_TIME - ?, EXPIRY_TIME = EXPIRY_TIME - ? WHERE PRINCIPAL_NAME = ?")
                .params(2 * SessionWrites.TOUCH_EVERY_MILLIS, 2 * SessionWrites.TOUCH_EVERY_MILLIS, email).update();
        assertThat(body(buyer.get("/cart"))).contains("Session Keeper");
        assertThat(lastAccess(email)).isGreaterThan(touched - 2 * SessionWrites.TOUCH_EVERY_MILLIS);

        buyer.logOut();
        assertThat(body(buyer.get("/"))).doesNotContain("Session Keeper");
        buyer.logIn(email, "correct horse battery");
        assertThat(body(buyer.get("/"))).contains("Session Keeper");
    }

    /**
     * Two requests of one session (a double click, two tabs) that each leave a message for the next page, each working
     * on the session as it was before either saved: the second save inserted the message's row again, broke its key,
     * and that request, its work done, answered with an error page. The later message is kept instead.
     */
    @Test
    void twoRequestsOfOneSessionAddingTheSameAttributeAtOnceBothSave() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        SessionRepository<Session> repository = (SessionRepository) sessions;
        Session made = repository.createSession();
        repository.save(made);
        Session first = repository.findById(made.getId());
        Session second = repository.findById(made.getId());

        first.setAttribute("next-page-message", "Added to your cart.");
        second.setAttribute("next-page-message", "Removed from your cart.");
        repository.save(first);
        repository.save(second);

        assertThat(repository.findById(made.getId()).<String>getAttribute("next-page-message")).isEqualTo("Removed from your cart.");
    }

    private long lastAccess(String email) {
        return jdbc.sql("SELECT LAST_ACCESS_TIME FROM SPRING_SESSION WHERE PRINCIPAL_NAME = ?").param(email).query(Long.class).single();
    }
}
