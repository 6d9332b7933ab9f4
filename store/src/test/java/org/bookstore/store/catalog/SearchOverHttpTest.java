package org.bookstore.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** A 10 KB search sent to the running server reaches the store, which answers it in its own page. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SearchOverHttpTest {

    @LocalServerPort
    int port;

    @Test
    void aTenKilobyteSearchIsShortenedAndSaysSo() {
        HttpResponse<String> response = new HttpVisitor("http://localhost:" + port).get("/search?q=engineering+" + "x".repeat(10_240));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("only its first 200 characters were used", "Bookstore");
    }
}
