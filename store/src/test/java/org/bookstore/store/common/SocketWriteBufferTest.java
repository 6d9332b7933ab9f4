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
    void aValueThatIsNotAWorkableSizeIsRefusedAtStartNamingTheSetting() {
        assertThat(ConnectionLimit.socketWriteBuffer(null)).isEqualTo(32 * 1024);
        assertThat(ConnectionLimit.socketWriteBuffer(" 64KB ")).isEqualTo(64 * 1024);
        assertThat(ConnectionLimit.socketWriteBuffer("1KB")).isEqualTo(1024);
        assertThatThrownBy(() -> ConnectionLimit.socketWriteBuffer("100B"))
                .hasMessage("bookstore.http.socket-write-buffer must be at least 1KB, not 100 bytes");
        assertThatThrownBy(() -> ConnectionLimit.socketWriteBuffer("-5KB"))
                .hasMessage("bookstore.http.socket-write-buffer must be at least 1KB, not -5120 bytes");
        assertThatThrownBy(() -> ConnectionLimit.socketWriteBuffer("abc"))
                .hasMessage("bookstore.http.socket-write-buffer must be a size such as 32KB, not 'abc'");
        assertThatThrownBy(() -> ConnectionLimit.socketWriteBuffer(""))
                .hasMessage("bookstore.http.socket-write-buffer must be a size such as 32KB, not ''");
        assertThatThrownBy(() -> ConnectionLimit.socketWriteBuffer("2GB"))
                .hasMessage("bookstore.http.socket-write-buffer must be under 2GB, not '2GB'");

        MockEnvironment environment = new MockEnvironment().withProperty("bookstore.http.socket-write-buffer", "32kb");
        assertThatThrownBy(() -> new ConnectionLimit().connectionsTheHeapHolds(environment))
                .hasMessageContaining("bookstore.http.socket-write-buffer must be a size such as 32KB, not '32kb'");
    }

    /**
     * A connection takes its write buffer from the heap when it is accepted, and Tomcat keeps at least a hundred of
     * them whatever the limit: with megabyte buffers a few dozen idle connections ran a 256 MB heap out, killed the
     * thread that accepts connections, and the store answered nothing until restarted. Such a buffer is refused.
     */
    @Test
    void aBufferAHundredConnectionsCouldNotHoldInAQuarterOfTheHeapIsRefusedAtStart() {
        long heap = 256L << 20;
        Connector connector = new Connector("HTTP/1.1");
        ((AbstractHttp11Protocol<?>) connector.getProtocolHandler()).setMaxHttpRequestHeaderSize(32 * 1024);

        for (boolean limitSetExplicitly : new boolean[] {false, true}) {
            assertThatThrownBy(() -> ConnectionLimit.apply(connector, 4 << 20, limitSetExplicitly, heap))
                    .hasMessage("bookstore.http.socket-write-buffer is 4096KB, but with a 256 MB heap it can be at most "
                            + "575KB: every open connection holds one, and 100 of them must fit in a quarter of the heap");
            assertThatThrownBy(() -> ConnectionLimit.apply(connector, 576 * 1024, limitSetExplicitly, heap))
                    .hasMessageContaining("it can be at most 575KB");
        }

        ConnectionLimit.apply(connector, 575 * 1024, false, heap);
        assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo(String.valueOf(575 * 1024));
        assertThat(((AbstractHttp11Protocol<?>) connector.getProtocolHandler()).getMaxConnections()).isEqualTo(100);
    }
}
