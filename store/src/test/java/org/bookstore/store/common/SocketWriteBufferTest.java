package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.test.context.ActiveProfiles;

/**
 * Each connection writes a response to its socket 32 KB at a time, so a catalogue page of a large catalogue is one
 * write; the connection limit counts the larger buffer, and pages larger than a buffer still arrive whole.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SocketWriteBufferTest {

    @LocalServerPort
    int port;
    @Autowired
    ServletWebServerApplicationContext context;

    @Test
    void theSocketWriteBufferIs32KilobytesAndTheConnectionLimitCountsIt() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
        AbstractHttp11Protocol<?> http = (AbstractHttp11Protocol<?>) connector.getProtocolHandler();

        assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo("32768");
        long perConnection = http.getMaxHttpRequestHeaderSize() + http.getMaxHttpResponseHeaderSize()
                + ConnectionLimit.BESIDES_HEADERS + 32 * 1024;
        assertThat(http.getMaxConnections()).isEqualTo(ConnectionLimit.limit(Runtime.getRuntime().maxMemory(), perConnection));
        assertThat(perConnection).as("bytes a connection may hold").isEqualTo((32 + 8 + 16 + 24 + 32) * 1024L);
    }

    @Test
    void pagesLargerThanTomcatsOwnBufferArriveWhole() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        int largest = 0;
        for (String path : new String[] {"/", "/search?q=the", "/books/working-in-public", "/assets/css/store.css"}) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            largest = Math.max(largest, response.body().length);
            response.headers().firstValueAsLong("Content-Length").ifPresent(length ->
                    assertThat(response.body()).as(path).hasSize((int) length));
            if (!path.endsWith(".css")) {
                assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).strip()).as(path).endsWith("</html>");
            }
        }
        assertThat(largest).as("the largest of them, in bytes").isGreaterThan(8 * 1024);
    }

    @Test
    void aBufferTooSmallToWorkIsRefusedAtStart() {
        MockEnvironment environment = new MockEnvironment().withProperty("bookstore.http.socket-write-buffer", "100B");

        assertThatThrownBy(() -> new ConnectionLimit().connectionsTheHeapHolds(environment))
                .hasMessageContaining("bookstore.http.socket-write-buffer must be at least 1KB");
    }
}
