package org.bookstore.store.common;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * What someone who just started the store needs to know, logged once it is ready: the address it serves, and a line
 * from each module that has something to say (which Stripe it talks to, how to reach the back office). Never a secret.
 */
@Component
class StartupSummary {

    private static final Logger log = LoggerFactory.getLogger(StartupSummary.class);

    private final PublicUrl publicUrl;
    private final List<StartupNote> notes;

    StartupSummary(PublicUrl publicUrl, List<StartupNote> notes) {
        this.publicUrl = publicUrl;
        this.notes = notes;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    void ready() {
        StringBuilder summary = new StringBuilder("Bookstore is ready at ").append(publicUrl.get());
        for (StartupNote note : notes) {
            note.line().ifPresent(line -> summary.append(System.lineSeparator()).append("  ").append(line));
        }
        log.info("{}", summary);
    }
}
