package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** Error pages as a browser receives them from the running server: in the store's layout, never a stack trace. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ErrorPagesOverHttpTest {

    @LocalServerPort
    int port;

    private HttpVisitor visitor() {
        return new HttpVisitor("http://localhost:" + port);
    }

    @Test
    void anUnknownAddressIsA404InTheLayout() {
        HttpResponse<String> response = visitor().get("/no/such/page");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("Page not found", "Bookstore", "Cart").doesNotContain("Whitelabel", "Exception");
        assertThat(response.body()).as("one message, no alert with the status's name above it")
                .doesNotContain("alert-danger", "Not Found");
    }

    @Test
    void aFormPostedWithoutItsCsrfTokenIsA403ThatExplainsNothingChanged() {
        HttpResponse<String> response = visitor().postRaw("/cart/add", "bookId", "1", "quantity", "1");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("The form you sent had expired", "nothing was changed", "Bookstore");
    }

    @Test
    void theHealthEndpointSaysTheStoreIsUp() {
        HttpResponse<String> response = visitor().get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }
}
