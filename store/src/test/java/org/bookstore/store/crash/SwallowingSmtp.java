package org.bookstore.store.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP server that takes the whole of a mail whose subject starts with {@code swallowed} and then never answers,
 * as a server that has the message when its sender dies before hearing "250": the moment a store can crash between
 * the server taking a mail and the store noting it. Other mails are accepted normally (and forgotten).
 */
final class SwallowingSmtp implements AutoCloseable {

    private final ServerSocket server;
    private final String swallowed;
    private final CountDownLatch taken = new CountDownLatch(1);
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile String message;

    SwallowingSmtp(int port, String swallowed) {
        this.swallowed = swallowed;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "swallowing-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Waits until a swallowed mail has been taken whole; returns its raw text. */
    String awaitSwallowed() throws InterruptedException {
        if (!taken.await(90, TimeUnit.SECONDS)) {
            throw new AssertionError("No mail starting with \"" + swallowed + "\" reached the SMTP server");
        }
        return message;
    }

    static String messageId(String raw) {
        Matcher id = Pattern.compile("(?im)^Message-ID:\\s*(<[^>]+>)").matcher(raw);
        if (!id.find()) {
            throw new AssertionError("No Message-ID in " + raw);
        }
        return id.group(1);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.add(client);
                Thread session = new Thread(() -> converse(client), "swallowing-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void converse(Socket client) {
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = client.getOutputStream();
            say(out, "220 swallowing ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO", "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> say(out, "250 OK");
                    case "QUIT" -> {
                        say(out, "221 Bye");
                        return;
                    }
                    case "DATA" -> {
                        say(out, "354 End data with <CR><LF>.<CR><LF>");
                        StringBuilder data = new StringBuilder();
                        for (String row = in.readLine(); row != null && !row.equals("."); row = in.readLine()) {
                            data.append(row).append("\n");
                        }
                        if (data.toString().contains("Subject: " + swallowed)) {
                            message = data.toString();
                            taken.countDown();
                            // Never answered: the sender cannot know the server has it.
                            Thread.sleep(Long.MAX_VALUE);
                        }
                        say(out, "250 OK queued");
                    }
                    default -> say(out, "502 Not implemented");
                }
            }
        } catch (IOException | InterruptedException gone) {
            // The sender died or the server was closed.
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket connection : connections) {
                connection.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
