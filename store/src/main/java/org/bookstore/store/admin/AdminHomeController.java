package org.bookstore.store.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Map;
import org.bookstore.store.common.Money;
import org.bookstore.store.common.Times;
import org.bookstore.store.orders.OrderRepository;
import org.bookstore.store.orders.OrderSearch;
import org.bookstore.store.payments.PaymentRecords;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The back office's first page: today's figures, the last 30 days as a chart, and what needs attention. */
@Controller
class AdminHomeController {

    static final Duration PENDING_TOO_LONG = Duration.ofMinutes(15);
    /** A Stripe event is normally acted on within a second of arriving; one still waiting after this is stuck. */
    static final Duration EVENT_WAITING_TOO_LONG = Duration.ofMinutes(5);
    /** A refund request Stripe has not answered for this long is listed: someone must send it again. */
    static final Duration REFUND_UNCONFIRMED_TOO_LONG = Duration.ofMinutes(5);

    private final PaymentRecords records;
    private final OrderRepository orders;
    private final OrderSearch search;
    private final AuditTrail audit;
    private final Times times;
    private final java.time.Clock clock;

    AdminHomeController(PaymentRecords records, OrderRepository orders, OrderSearch search, AuditTrail audit, Times times,
            java.time.Clock clock) {
        this.records = records;
        this.orders = orders;
        this.search = search;
        this.audit = audit;
        this.times = times;
        this.clock = clock;
    }

    @GetMapping({"/admin", "/admin/"})
    String home(Model model) {
        var days = records.takings(30, times.zone());
        PaymentRecords.Day today = days.get(days.size() - 1);
        Currency currency = days.stream().flatMap(day -> day.received().keySet().stream()).findFirst()
                .orElse(Currency.getInstance("USD"));
        Instant startOfToday = LocalDate.now(clock.withZone(times.zone())).atStartOfDay(times.zone()).toInstant();
        Map<Currency, Money> refundedToday = records.refundedSince(startOfToday);
        model.addAttribute("days", days);
        model.addAttribute("currency", currency);
        model.addAttribute("chart", TakingsChart.svg(days, currency));
        model.addAttribute("today", today);
        model.addAttribute("placedToday", search.placedSince(startOfToday));
        model.addAttribute("refundedToday", refundedToday);
        model.addAttribute("attention", records.openAttention(50));
        model.addAttribute("failedRefunds", records.failedRefunds(50));
        model.addAttribute("unconfirmedRefunds", records.unconfirmedRefunds(clock.instant().minus(REFUND_UNCONFIRMED_TOO_LONG), 50));
        model.addAttribute("openDisputes", records.openDisputes(50));
        model.addAttribute("waitingEvents", records.eventsWaitingSince(clock.instant().minus(EVENT_WAITING_TOO_LONG)).orElse(null));
        model.addAttribute("stalePending", orders.pendingSince(clock.instant().minus(PENDING_TOO_LONG), 50));
        model.addAttribute("recent", audit.recent(10));
        return "admin/home";
    }
}
