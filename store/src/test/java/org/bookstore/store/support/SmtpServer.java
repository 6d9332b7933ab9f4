package org.bookstore.store.support;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server (GreenMail) on a port of this machine, that can go down and come back on the same port, and
 * the mails it has delivered, read from each recipient's mailbox as they would read them.
 */
public final class SmtpServer implements AutoCloseable {

    private final int port;
    private GreenMail server;

    private SmtpServer(int port) {
        this.port = port;
    }

    public static SmtpServer start() {
        SmtpServer smtp = onFreePort();
        smtp.up();
        return smtp;
    }

    /** A server with a port of its own that is not listening yet ({@link #up()} starts it). */
    public static SmtpServer onFreePort() {
        return new SmtpServer(StoreProcess.freePort());
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
            for (GreenMailUser user : server.getUserManager().listUser()) {
                earlier.computeIfAbsent(user.getEmail(), address -> new ArrayList<>()).addAll(inbox(user.getEmail()));
            }
            server.stop();
            server = null;
        }
    }

    private final Map<String, List<Received>> earlier = new HashMap<>();

    /** The mails delivered to {@code address}'s mailbox, oldest first: one per message sent to it. */
    public synchronized List<Received> to(String address) {
        List<Received> mails = new ArrayList<>(earlier.getOrDefault(address, List.of()));
        if (server != null) {
            mails.addAll(inbox(address));
        }
        return mails;
    }

    private List<Received> inbox(String address) {
        GreenMailUser user = server.getUserManager().getUserByEmail(address);
        if (user == null) {
            return List.of();
        }
        // The mailbox's list is the server's own, appended to as mails arrive: read it again if one arrived meanwhile.
        for (int attempt = 1; ; attempt++) {
            try {
                return server.getManagers().getImapHostManager().getInbox(user).getMessages().stream()
                        .map(stored -> Received.of(stored.getMimeMessage())).toList();
            } catch (FolderException e) {
                throw new IllegalStateException(e);
            } catch (java.util.ConcurrentModificationException delivering) {
                if (attempt == 100) {
                    throw delivering;
                }
            }
        }
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
