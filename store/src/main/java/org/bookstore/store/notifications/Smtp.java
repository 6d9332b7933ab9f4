package org.bookstore.store.notifications;

import java.util.Optional;
import java.util.Properties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * The SMTP server mail leaves through, if {@code spring.mail.host} names one when the store starts.
 * <p>Spring Boot decides whether to make its mail sender from that setting; a store started from its ahead-of-time
 * processed form ({@code -Dspring.aot.enabled=true}) keeps the decision made when it was built, where no host was
 * set. So when Boot made none and a host is set now, the sender is made here from the same {@code spring.mail.*}
 * settings, and a store configured for SMTP sends its mail however it was started.
 */
@Component
class Smtp {

    private final JavaMailSender sender;

    Smtp(ObjectProvider<JavaMailSender> madeByBoot, Environment environment) {
        JavaMailSender boots = madeByBoot.getIfAvailable();
        this.sender = boots != null ? boots
                : Binder.get(environment).bind("spring.mail", MailProperties.class).map(Smtp::sender).orElse(null);
    }

    /** The sender, or empty if no SMTP server is configured: mail is then kept for the "Sent mail" page. */
    Optional<JavaMailSender> sender() {
        return Optional.ofNullable(sender);
    }

    /** A sender made as Spring Boot makes it, or null without a host. */
    static JavaMailSender sender(MailProperties mail) {
        if (mail.getHost() == null || mail.getHost().isBlank()) {
            return null;
        }
        if (mail.getSsl().getBundle() != null) {
            throw new IllegalStateException("spring.mail.ssl.bundle is not supported when the store is started ahead of"
                    + " time (-Dspring.aot.enabled=true): start it without that flag, or use spring.mail.ssl.enabled");
        }
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(mail.getHost());
        if (mail.getPort() != null) {
            sender.setPort(mail.getPort());
        }
        sender.setUsername(mail.getUsername());
        sender.setPassword(mail.getPassword());
        sender.setProtocol(mail.getProtocol());
        if (mail.getDefaultEncoding() != null) {
            sender.setDefaultEncoding(mail.getDefaultEncoding().name());
        }
        Properties properties = new Properties();
        properties.putAll(mail.getProperties());
        if (mail.getSsl().isEnabled()) {
            properties.put("mail." + mail.getProtocol() + ".ssl.enable", "true");
        }
        sender.setJavaMailProperties(properties);
        return sender;
    }
}
