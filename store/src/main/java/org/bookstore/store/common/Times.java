package org.bookstore.store.common;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Times as people read them, always with their time zone ({@code bookstore.time-zone}, the server's own by default):
 * templates call {@code ${@times.of(order.placedAt)}}.
 */
@Component("times")
public class Times {

    private final DateTimeFormatter format;
    private final ZoneId zoneId;

    Times(@Value("${bookstore.time-zone:}") String zone) {
        zoneId = zone == null || zone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zone);
        this.format = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm z", Locale.UK).withZone(zoneId);
    }

    /** The shop's time zone: days (today's takings, a date filter) begin and end in it. */
    public ZoneId zone() {
        return zoneId;
    }

    public String of(Instant instant) {
        return instant == null ? "" : format.format(instant);
    }
}
