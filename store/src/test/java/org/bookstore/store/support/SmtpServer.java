package org.bookstore.store.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server (GreenMail) on a port of this machine, that can go down and come back on the same port, and
 * the mails it has received, read as their recipients would.
 */
public final class SmtpServer implements AutoCloseable {

    private final int port;
    private GreenMail server;

    private SmtpServer(int port) {
        this.port = port;
    }

    public static SmtpServer start() {
        SmtpServer smtp = new SmtpServer(StoreProcess.freePort());
        smtp.up();
        return smtp;
    }

    public int port() {
        return port;
    }

    /** The store's settings for sending through this server. */
    public Map<String, String> settings() {
        return Map.of("spring.mail.host", "127.0.0.1", "spring.mail.port", Integer.toString(port));
    }

    public synchronized void up() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            server.start();
        }
    }

    /** The server goes away: connections to its port are refused until {@link #up()}. What it received is kept. */
    public synchronized void down() {
        if (server != null) {
            received = received();
            server.stop();
            server = null;
        }
    }

    private List<Received> received = List.of();

    /** Every mail received so far, one per recipient. */
    public synchronized List<Received> received() {
        if (server == null) {
            return received;
        }
        List<Received> now = new java.util.ArrayList<>(received);
        Arrays.stream(server.getReceivedMessages()).map(Received::of).forEach(now::add);
        return now;
    }

    public List<Received> to(String address) {
        return received().stream().filter(mail -> mail.to().contains(address)).toList();
    }

    @Override
    public synchronized void close() {
        down();
    }

    /** A received mail: its headers and both parts. */
    public record Received(String messageId, String from, List<String> to, String subject, String text, String html) {

        static Received of(MimeMessage message) {
            try {
                Parts parts = new Parts();
                parts.collect(message);
                return new Received(message.getMessageID(), message.getFrom()[0].toString(),
                        Arrays.stream(message.getAllRecipients()).map(Object::toString).toList(), message.getSubject(),
                        parts.text, parts.html);
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException("Could not read a received mail", e);
            }
        }
    }

    private static final class Parts {
        String text;
        String html;

        void collect(Part part) throws MessagingException, IOException {
            if (part.isMimeType("text/plain") && text == null) {
                text = (String) part.getContent();
            } else if (part.isMimeType("text/html") && html == null) {
                html = (String) part.getContent();
            } else if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    collect(child);
                }
            }
        }
    }
}
