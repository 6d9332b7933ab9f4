package org.bookstore.store.cart;

import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/** Guests of a store on a random port, over real HTTP, each a browser of its own, all from this machine's address. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class GuestScenarios {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    /** "Working in Public", the book every guest here adds. */
    String bookId;

    @BeforeEach
    void aNewWindowForThisMachine() {
        jdbc.sql("DELETE FROM client_counts WHERE throttle_key LIKE 'guest-%'").update();
        bookId = Long.toString(jdbc.sql("SELECT id FROM books WHERE slug = 'working-in-public'").query(Long.class).single());
    }

    HttpVisitor browser() {
        return new HttpVisitor(baseUrl());
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    int guestCarts() {
        return jdbc.sql("SELECT COUNT(*) FROM orders WHERE guest_token IS NOT NULL").query(Integer.class).single();
    }

    int sessions() {
        return jdbc.sql("SELECT COUNT(*) FROM SPRING_SESSION").query(Integer.class).single();
    }
}
