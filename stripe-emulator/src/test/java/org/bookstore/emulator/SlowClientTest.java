package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.Customer;
import com.stripe.param.CustomerCreateParams;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: connections that send their request a byte at a time, or nothing at all, must neither stop the emulator
 * answering others nor stay open for ever.
 */
class SlowClientTest {

    /** A connection sending its request so slowly it never ends. */
    static final class SlowConnection {
        final Socket socket;
        boolean closedByServer;

        SlowConnection(int port, String start) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(1);
            socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }

        /** Sends one more byte and notes whether the server has closed the connection. */
        void drip() {
            if (closedByServer) {
                return;
            }
            try {
                int read = socket.getInputStream().read();
                if (read < 0) {
                    closedByServer = true;
                    return;
                }
            } catch (SocketTimeoutException stillOpen) {
                // nothing to read: the server is still waiting for the rest
            } catch (IOException reset) {
                closedByServer = true;
                return;
            }
            try {
                OutputStream out = socket.getOutputStream();
                out.write('a');
                out.flush();
            } catch (IOException e) {
                closedByServer = true;
            }
        }
    }

    @Test
    void slowClientsNeitherStopOthersNorStayConnected() throws Exception {
        List<Socket> idle = new ArrayList<>();
        List<SlowConnection> slow = new ArrayList<>();
        try (StripeEmulator em = StripeEmulator.builder().port(0).clientTimeout(Duration.ofSeconds(5)).start()) {
            for (int i = 0; i < 200; i++) {
                idle.add(new Socket("127.0.0.1", em.port()));
            }
            for (int i = 0; i < 50; i++) {
                // headers that never end
                slow.add(new SlowConnection(em.port(), "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
                // complete headers, then a body that never ends
                slow.add(new SlowConnection(em.port(), "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer sk_test_slow\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 100000\r\n\r\nname="));
            }
            EmulatorTestBase.await("the server to hold all 100 slow requests", () -> em.requestsInProgress() >= 100);

            // the store's own client settings: a 20 s read timeout, no retries
            StripeClient client = StripeClient.builder().setApiKey("sk_test_buyer").setApiBase(em.baseUrl())
                    .setConnectTimeout(5_000).setReadTimeout(20_000).build();
            Customer c = client.v1().customers().create(CustomerCreateParams.builder().setEmail("prompt@example.com")
                    .build());
            assertThat(client.v1().customers().retrieve(c.getId()).getEmail()).isEqualTo("prompt@example.com");

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (slow.stream().anyMatch(s -> !s.closedByServer) && System.nanoTime() < deadline) {
                slow.forEach(SlowConnection::drip);
                Thread.sleep(500);
            }
            assertThat(slow).allMatch(s -> s.closedByServer, "closed by the server");
            EmulatorTestBase.await("their threads to be free", () -> em.requestsInProgress() == 0);
            assertThat(client.v1().customers().retrieve(c.getId()).getId()).isEqualTo(c.getId());
        } finally {
            for (Socket s : idle) {
                s.close();
            }
            for (SlowConnection s : slow) {
                s.socket.close();
            }
        }
    }
}
