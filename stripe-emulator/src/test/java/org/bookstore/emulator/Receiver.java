package org.bookstore.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/** A tiny webhook receiver that records what it gets and answers with scripted status codes. */
final class Receiver implements AutoCloseable {
    record Delivery(String signature, String body) {}

    private final HttpServer server;
    private final List<Delivery> received = new ArrayList<>();
    final Deque<Integer> script = new ConcurrentLinkedDeque<>();
    volatile long sleepMillis;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", ex -> {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Integer status = script.poll();
            int st = status == null ? 200 : status;
            if (sleepMillis > 0 && status != null) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (received) {
                received.add(new Delivery(ex.getRequestHeaders().getFirst("Stripe-Signature"), body));
            }
            if (st >= 300 && st < 400) {
                ex.getResponseHeaders().set("Location", "https://elsewhere.example/");
            }
            ex.sendResponseHeaders(st, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
    }

    List<Delivery> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
