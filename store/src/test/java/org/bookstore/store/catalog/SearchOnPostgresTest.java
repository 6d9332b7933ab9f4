package org.bookstore.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Visitor.body;

import org.bookstore.store.support.OnPostgres;
import org.junit.jupiter.api.Test;

@OnPostgres
class SearchOnPostgresTest extends SearchTest {

    SearchOnPostgresTest(@org.springframework.beans.factory.annotation.Autowired org.springframework.test.web.servlet.MockMvc mvc) {
        super(mvc);
    }

    /** PostgreSQL's full-text search knows word forms: "gardening" finds the gardens. */
    @Test
    void wordFormsMatchOnPostgres() {
        assertThat(body(new org.bookstore.store.support.Visitor(mvc).get(search("gardening")))).contains("6 books match");
    }
}
