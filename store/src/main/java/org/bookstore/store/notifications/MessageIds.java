package org.bookstore.store.notifications;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Message-IDs made from what a mail is about ({@code receipt.order-42}), so the same mail always has the same id: a
 * resend after a crash is recognisable as the same message. The database's own random token keeps two shops (or a
 * shop and its reset copy) from ever giving two different mails one id; the domain is the sender's.
 */
@Component
class MessageIds {

    private final JdbcClient jdbc;
    private final String domain;
    private volatile String token;

    MessageIds(JdbcClient jdbc, MailSettings settings) {
        this.jdbc = jdbc;
        this.domain = domainOf(settings.from());
    }

    /** {@code about} names the mail's kind and subject, e.g. {@code refund.order-42.re_123}. */
    String of(String about) {
        return "<" + about.replaceAll("[^A-Za-z0-9._-]", "-") + "." + token() + "@" + domain + ">";
    }

    private String token() {
        String known = token;
        if (known == null) {
            known = stored().orElseGet(() -> {
                try {
                    byte[] random = new byte[6];
                    new SecureRandom().nextBytes(random);
                    jdbc.sql("INSERT INTO mail_installation (id, token) VALUES (1, ?)").param(HexFormat.of().formatHex(random)).update();
                } catch (DuplicateKeyException anotherInstanceFirst) {
                    // Theirs is the one.
                }
                return stored().orElseThrow();
            });
            token = known;
        }
        return known;
    }

    private Optional<String> stored() {
        return jdbc.sql("SELECT token FROM mail_installation WHERE id = 1").query(String.class).optional();
    }

    private static String domainOf(String from) {
        try {
            String address = new InternetAddress(from, false).getAddress();
            int at = address == null ? -1 : address.lastIndexOf('@');
            return at < 0 ? "localhost" : address.substring(at + 1).replaceAll("[^A-Za-z0-9.-]", "");
        } catch (AddressException e) {
            return "localhost";
        }
    }
}
