package org.bookstore.store.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The store as its own operating-system process, started from this test's class path, so a test can kill it the
 * way a machine or an operator does: {@link #kill()} is a SIGKILL ({@code kill -9}), with no shutdown hook, no
 * flush, no goodbye. Its log goes to a file in its data folder.
 */
public final class StoreProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private StoreProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A free TCP port, to give a store the same address across restarts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a store on {@code port} keeping its files in {@code dataDir}, with the given extra settings
     * ({@code name=value}), and waits until it answers.
     */
    public static StoreProcess start(Path dataDir, int port, Map<String, String> settings) {
        return start(dataDir, port, settings, List.of());
    }

    /** As {@link #start(Path, int, Map)}, with options for the JVM ({@code -Dname=value}, {@code -X...}). */
    public static StoreProcess start(Path dataDir, int port, Map<String, String> settings, List<String> jvmOptions) {
        try {
            Files.createDirectories(dataDir);
            Path log = dataDir.resolve("store-" + Instant.now().toEpochMilli() + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
            command.addAll(jvmOptions);
            command.addAll(List.of(
                    "-cp", System.getProperty("java.class.path"),
                    "org.bookstore.store.BookstoreApplication",
                    "--server.port=" + port,
                    "--bookstore.data-dir=" + dataDir,
                    // Its own local Stripe, if it runs one, on a free port: never the one a developer's store uses.
                    "--bookstore.stripe.emulator.port=0",
                    "--spring.main.banner-mode=off",
                    "--logging.level.root=WARN",
                    "--logging.level.org.bookstore=INFO",
                    // Every test buyer registers and opens carts from 127.0.0.1; the limits are tested on their own
                    // (RegistrationLimitTest, GuestCartLimitTest, GuestMessagesLimitTest).
                    "--bookstore.login.max-registrations-per-address=1000",
                    "--bookstore.cart.max-new-guest-carts-per-address=100000",
                    "--bookstore.checkout.max-new-payments-per-account=100000",
                    "--bookstore.sessions.max-new-guest-sessions-per-address=100000"));
            settings.forEach((name, value) -> command.add("--" + name + "=" + value));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            StoreProcess store = new StoreProcess(process, port, log);
            store.awaitReady();
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public int port() {
        return port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** {@code kill -9}: the process ends at once, whatever it was doing. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The store exited during start-up:\n" + log());
            }
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        kill();
        throw new IllegalStateException("The store did not answer within 3 minutes:\n" + log());
    }
}
