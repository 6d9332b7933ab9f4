package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.bookstore.store.support.StoreProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client opens thousands of connections to a store with a 256 MB heap and keeps each one's request arriving, a
 * header line every few seconds, for half a minute (slowloris). The store must come out of it as it went in: alive,
 * with no {@link OutOfMemoryError} anywhere in it, and serving pages as soon as the client lets go. Before the store
 * capped its connections to what its heap holds, 5,000 such connections (about 83 KB of Tomcat's buffers each) filled
 * the heap and it answered nothing for minutes.
 */
class ManyConnectionsTest {

    private static final int CONNECTIONS = 5_000;
    private static final Duration HELD_FOR = Duration.ofSeconds(30);
    private static final byte[] REQUEST_START = "GET / HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ONE_MORE_LINE = "X-Slowly: 1\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void thousandsOfConnectionsSendingTheirRequestsSlowlyNeitherExhaustTheHeapNorOutlastTheirClient(@TempDir Path data)
            throws Exception {
        int port = StoreProcess.freePort();
        try (StoreProcess store = StoreProcess.start(data, port, Map.of(), List.of("-Xmx256m"))) {
            int held = holdConnections(port);
            assertThat(held).as("connections the store accepted and kept while their requests arrived")
                    .isGreaterThanOrEqualTo(500);
            assertThat(store.alive()).isTrue();

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Awaitility.await("the store serves pages once the client lets go").atMost(Duration.ofSeconds(90))
                    .ignoreExceptions().untilAsserted(() -> {
                for (String path : List.of("/", "/books/working-in-public")) {
                    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(store.baseUrl() + path))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(page.statusCode()).isEqualTo(200);
                }
            });
            assertThat(store.log()).as("the store's log").doesNotContain("OutOfMemoryError");
        }
    }

    /**
     * Opens the connections, starts a request on each as soon as it is accepted and sends one more header line on
     * each every 3 s; closes them all after {@link #HELD_FOR}. Returns how many were accepted and still open then.
     */
    private static int holdConnections(int port) throws IOException, InterruptedException {
        List<SocketChannel> all = new ArrayList<>();
        Set<SocketChannel> open = new HashSet<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                SocketChannel channel = SocketChannel.open();
                all.add(channel);
                channel.configureBlocking(false);
                channel.connect(new InetSocketAddress("127.0.0.1", port));
                channel.register(selector, SelectionKey.OP_CONNECT);
            }
            Instant end = Instant.now().plus(HELD_FOR);
            Instant nextLine = Instant.now().plusSeconds(3);
            while (Instant.now().isBefore(end)) {
                selector.select(200);
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (channel.finishConnect()) {
                            key.interestOps(0);
                            channel.write(ByteBuffer.wrap(REQUEST_START));
                            open.add(channel);
                        }
                    } catch (IOException refused) {
                        key.cancel();
                        channel.close();
                    }
                }
                if (Instant.now().isAfter(nextLine)) {
                    for (Iterator<SocketChannel> each = open.iterator(); each.hasNext(); ) {
                        SocketChannel channel = each.next();
                        try {
                            channel.write(ByteBuffer.wrap(ONE_MORE_LINE));
                        } catch (IOException closedByTheStore) {
                            each.remove();
                        }
                    }
                    nextLine = nextLine.plusSeconds(3);
                }
            }
            return open.size();
        } finally {
            for (SocketChannel channel : all) {
                channel.close();
            }
        }
    }
}
