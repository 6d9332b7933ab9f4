package org.bookstore.store.notifications;

import java.util.List;
import org.bookstore.store.support.SmtpServer;
import org.bookstore.store.support.SmtpServer.Received;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The store sending its mail to a real SMTP server in this JVM, with retries and delayed mails made quick (the
 * "payment did not go through" notice waits an hour: tests move the courier's clock instead of waiting).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bookstore.notifications.admin-email=admins@bookstore.test",
        "bookstore.notifications.payment-failed-after=PT1H",
        "bookstore.notifications.send-every=PT0.5S",
        "bookstore.notifications.retry-first-after=PT0.5S",
        "bookstore.notifications.retry-at-most-every=PT1S"})
@ActiveProfiles("test")
abstract class MailScenarios extends ShopScenarios {

    static final SmtpServer SMTP = SmtpServer.start();

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        SMTP.settings().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** The mails {@code address} received whose subject starts with {@code subject}. */
    List<Received> mailsTo(String address, String subject) {
        return SMTP.to(address).stream().filter(mail -> mail.subject().startsWith(subject)).toList();
    }
}
