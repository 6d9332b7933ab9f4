package org.bookstore.store.notifications;

import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bookstore.store.notifications.OutgoingMail.Message;
import org.bookstore.store.notifications.OutgoingMail.Status;
import org.bookstore.store.orders.OrderRepository;
import org.bookstore.store.orders.OrderStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends what is due in {@code outgoing_mail}: right after a mail is queued, and every
 * {@code bookstore.notifications.send-every} for delayed mails and retries. Each mail is claimed first, so with
 * several instances one of them sends it. A mail the SMTP server does not take waits and is tried again, ever less
 * often; the buyer never sees the error, and the page of sent mail shows it waiting.
 *
 * <p>With no SMTP server configured ({@code spring.mail.host} unset) nothing leaves the machine: mails are kept, for
 * reading on the "Sent mail" page.
 */
@Component
class MailCourier {

    private static final Logger log = LoggerFactory.getLogger(MailCourier.class);
    private static final int BATCH = 50;

    private final OutgoingMail outbox;
    private final Smtp smtp;
    private final OrderRepository orders;
    private final MailSettings settings;
    private final Clock clock;
    private final String claimant;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "mail-courier");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean passQueued = new AtomicBoolean();

    MailCourier(OutgoingMail outbox, Smtp smtp, OrderRepository orders, MailSettings settings, Clock clock) {
        this.outbox = outbox;
        this.smtp = smtp;
        this.orders = orders;
        this.settings = settings;
        this.clock = clock;
        this.claimant = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** What one pass did. */
    record Pass(int sent, int kept, int dropped, int retrying) {
    }

    boolean hasQueued(String messageId) {
        return outbox.has(messageId);
    }

    /** Queues the mail (once per Message-ID) and sends it now if it is due. */
    void queue(Mail mail) {
        if (outbox.queue(mail, clock.instant()) && !mail.sendAfter().isAfter(clock.instant())) {
            nudge();
        }
    }

    void postpone(String messageId, Instant notBefore) {
        outbox.postpone(messageId, notBefore);
    }

    /** Drops the order's mails of {@code kind} still waiting, but {@code messageId}: a later one says it all. */
    void dropWaiting(String kind, long orderId, String messageId, String why) {
        outbox.dropWaiting(kind, orderId, messageId, why);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        long every = settings.sendEvery().toMillis();
        worker.scheduleWithFixedDelay(this::pass, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    /** Asks for a pass soon; passes asked for while one is waiting are one pass. */
    void nudge() {
        if (passQueued.compareAndSet(false, true)) {
            worker.execute(() -> {
                passQueued.set(false);
                pass();
            });
        }
    }

    private void pass() {
        try {
            sendDue(clock.instant());
        } catch (RuntimeException e) {
            // The database may be briefly unreachable: the next pass tries again, and nothing is lost meanwhile.
            log.warn("Could not go through the outgoing mail: {}", e.toString());
        }
    }

    /** Sends every mail due at {@code now}; tests call it with a later {@code now} to see delayed mails go out. */
    synchronized Pass sendDue(Instant now) {
        int sent = 0;
        int kept = 0;
        int dropped = 0;
        int retrying = 0;
        for (long id : outbox.due(now, BATCH)) {
            Message mail = outbox.claim(id, claimant, now, clock.instant().plus(settings.sendingLease())).orElse(null);
            if (mail == null) {
                continue;
            }
            switch (deliver(mail, now)) {
                case SENT -> sent++;
                case KEPT -> kept++;
                case DROPPED -> dropped++;
                default -> retrying++;
            }
        }
        if (sent + kept + dropped + retrying == BATCH) {
            nudge();
        }
        return new Pass(sent, kept, dropped, retrying);
    }

    private Status deliver(Message mail, Instant now) {
        if (mail.onlyIfOrderUnpaid() && !awaitsPayment(mail.orderId())) {
            outbox.finish(mail.id(), claimant, Status.DROPPED, null, "Not sent: order #" + mail.orderId()
                    + " was paid, or its payment given up, before this was due.");
            return Status.DROPPED;
        }
        JavaMailSender sender = smtp.sender().orElse(null);
        if (sender == null) {
            outbox.finish(mail.id(), claimant, Status.KEPT, clock.instant(), "Kept here: no SMTP server is configured (spring.mail.host).");
            return Status.KEPT;
        }
        if (mail.recipients().isEmpty()) {
            outbox.finish(mail.id(), claimant, Status.KEPT, clock.instant(),
                    "Kept here: nobody to send it to (no ADMIN account and no bookstore.notifications.admin-email).");
            return Status.KEPT;
        }
        try {
            sender.send(mime(sender, mail));
            outbox.finish(mail.id(), claimant, Status.SENT, clock.instant(), null);
            return Status.SENT;
        } catch (MailException | MessagingException e) {
            Duration wait = backoff(mail.attempts());
            log.warn("Mail {} not sent (attempt {}), trying again in {}: {}", mail.messageId(), mail.attempts(), wait, e.toString());
            outbox.retryLater(mail.id(), claimant, now.plus(wait), "Not sent yet (attempt " + mail.attempts() + "): " + e.getMessage());
            return Status.PENDING;
        }
    }

    /** Doubles from {@code retry-first-after} up to {@code retry-at-most-every}. */
    private Duration backoff(int attempts) {
        Duration wait = settings.retryFirstAfter();
        for (int i = 1; i < attempts && wait.compareTo(settings.retryAtMostEvery()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.retryAtMostEvery()) > 0 ? settings.retryAtMostEvery() : wait;
    }

    private boolean awaitsPayment(Long orderId) {
        return orderId != null && orders.findById(orderId)
                .map(order -> order.status() == OrderStatus.PENDING || order.status() == OrderStatus.PAYMENT_FAILED).orElse(false);
    }

    private MimeMessage mime(JavaMailSender sender, Message mail) throws MessagingException {
        MimeMessage message = sender.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, MimeMessageHelper.MULTIPART_MODE_MIXED_RELATED, "UTF-8");
        helper.setFrom(settings.from());
        helper.setTo(mail.recipients().toArray(String[]::new));
        helper.setSubject(mail.subject());
        // The same date and Message-ID on every try: a resend after a crash is the same message, not a new one.
        helper.setSentDate(Date.from(mail.createdAt()));
        helper.setText(mail.text(), mail.html());
        message.setHeader("Message-ID", mail.messageId());
        message.setHeader("Auto-Submitted", "auto-generated");
        return message;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "store";
        }
    }
}
