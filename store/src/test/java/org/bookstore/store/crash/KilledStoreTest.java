package org.bookstore.store.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.bookstore.store.support.HttpVisitor;
import org.bookstore.store.support.StoreProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default embedded database keeps what the store confirmed: a store process killed with {@code kill -9} the
 * moment after it answered still has the change when it starts again.
 */
class KilledStoreTest {

    private static final String PASSWORD = "correct horse battery";

    @Test
    void aCartLineAnsweredJustBeforeAKillIsThereAfterRestart(@TempDir Path data) {
        int port = StoreProcess.freePort();
        String email = "durable-" + UUID.randomUUID() + "@example.com";
        StoreProcess store = StoreProcess.start(data, port, Map.of());
        try {
            HttpVisitor buyer = new HttpVisitor(store.baseUrl());
            buyer.register("Durable Buyer", email, PASSWORD);
            for (int copies = 1; copies <= 3; copies++) {
                buyer.get("/books/refactoring");
                HttpResponse<String> added = buyer.post("/cart/add", "bookId", bookId(buyer, "refactoring"), "quantity", "1");
                assertThat(added.body()).contains("to your cart.");
                store.kill();
                store = StoreProcess.start(data, port, Map.of());
                buyer = new HttpVisitor(store.baseUrl());
                buyer.logIn(email, PASSWORD);
                assertThat(buyer.get("/cart").body()).as("after kill %d", copies)
                        .containsPattern("id=\"quantity-\\d+\"[^>]*value=\"" + copies + "\"|value=\"" + copies + "\"[^>]*id=\"quantity-");
            }
        } finally {
            store.close();
        }
    }

    static String bookId(HttpVisitor buyer, String slug) {
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("name=\"bookId\" value=\"(\\d+)\"").matcher(buyer.lastPage());
        if (!id.find()) {
            throw new AssertionError("No add-to-cart form on the page of " + slug);
        }
        return id.group(1);
    }
}
