package org.bookstore.store.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.common.Money;
import org.bookstore.store.common.NotFoundException;
import org.bookstore.store.common.Times;
import org.bookstore.store.orders.Order;
import org.bookstore.store.orders.OrderRepository;
import org.bookstore.store.orders.OrderSearch;
import org.bookstore.store.orders.OrderStatus;
import org.bookstore.store.payments.PaymentActions;
import org.bookstore.store.payments.PaymentRecords;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Every order, and one order with everything about its payment: the timeline with Stripe's event ids, links to the
 * objects in Stripe's Dashboard, refunds, disputes, notes and the audit trail; and the actions on it. Each action
 * answers with a redirect carrying what happened, and is recorded in the audit trail with its outcome.
 */
@Controller
class AdminOrdersController {

    static final int PAGE_SIZE = 25;

    private final OrderRepository orders;
    private final OrderSearch search;
    private final PaymentRecords records;
    private final PaymentActions actions;
    private final AuditTrail audit;
    private final Times times;

    AdminOrdersController(OrderRepository orders, OrderSearch search, PaymentRecords records, PaymentActions actions, AuditTrail audit,
            Times times) {
        this.orders = orders;
        this.search = search;
        this.records = records;
        this.actions = actions;
        this.audit = audit;
        this.times = times;
    }

    @GetMapping("/admin/orders")
    String list(@RequestParam(name = "status", required = false) String status, @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to, @RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "after", required = false) String after, @RequestParam(name = "before", required = false) String before,
            Model model) {
        Map<String, String> problems = new LinkedHashMap<>();
        OrderStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = OrderStatus.fromCode(status);
            } catch (IllegalArgumentException unknown) {
                problems.put("status", "Choose a status from the list.");
            }
        }
        Instant since = day(from, "from", problems);
        Instant until = day(to, "to", problems);
        if (until != null) {
            until = until.atZone(times.zone()).plusDays(1).toInstant();
        }
        Collection<Long> ids = null;
        String email = null;
        String text = q == null ? "" : q.strip();
        if (text.length() > 254) {
            problems.put("q", "Search for at most 254 characters.");
        } else if (text.matches("#?\\d{1,18}")) {
            ids = java.util.List.of(Long.parseLong(text.replace("#", "")));
        } else if (text.matches("(cs|pi|ch|re|dp|py)_\\S+")) {
            ids = records.ordersFor(text);
        } else if (!text.isEmpty()) {
            email = text.toLowerCase(Locale.ROOT);
        }
        OrderSearch.Page page = problems.isEmpty()
                ? search.find(new OrderSearch.Query(wanted, since, until, ids, email), OrderSearch.Cursor.parse(after),
                        OrderSearch.Cursor.parse(before), PAGE_SIZE)
                : new OrderSearch.Page(java.util.List.of(), null, null);
        model.addAttribute("page", page);
        model.addAttribute("problems", problems);
        model.addAttribute("statuses", OrderStatus.values());
        model.addAttribute("status", status == null ? "" : status);
        model.addAttribute("from", from == null ? "" : from);
        model.addAttribute("to", to == null ? "" : to);
        model.addAttribute("q", text);
        return "admin/orders";
    }

    @GetMapping("/admin/orders/{id}")
    String order(@PathVariable String id, Model model) {
        Order order = find(id);
        model.addAttribute("order", order);
        model.addAttribute("row", search.row(order.id()).orElseThrow());
        model.addAttribute("payment", records.details(order.id()));
        model.addAttribute("stripe", records);
        model.addAttribute("timeline", orders.fullTimeline(order.id()));
        model.addAttribute("audit", audit.forOrder(order.id()));
        model.addAttribute("refundToken", UUID.randomUUID().toString());
        return "admin/order";
    }

    @PostMapping("/admin/orders/{id}/refunds")
    String refund(@PathVariable String id, @RequestParam Map<String, String> form, @AuthenticationPrincipal BuyerPrincipal admin,
            RedirectAttributes redirect) {
        Order order = find(id);
        Map<Long, Integer> copies = new LinkedHashMap<>();
        String problem = null;
        for (Map.Entry<String, String> field : form.entrySet()) {
            if (field.getKey().matches("copies_\\d{1,18}") && field.getValue() != null && !field.getValue().isBlank()) {
                String value = field.getValue().strip();
                if (!value.matches("-?\\d{1,3}")) {
                    problem = "Enter the copies to refund as whole numbers. Nothing was refunded.";
                } else {
                    copies.put(Long.parseLong(field.getKey().substring(7)), Integer.parseInt(value));
                }
            }
        }
        Money amount = null;
        var received = records.received(order.id());
        if ("true".equals(form.get("all"))) {
            var details = records.details(order.id());
            amount = details.refundable();
            if (amount != null && amount.minorUnits() == 0) {
                problem = "This order is already refunded in full (or its refunds are on their way). Nothing was refunded.";
            }
        } else if (received.isPresent() && form.get("amount") != null && !form.get("amount").isBlank()) {
            String text = form.get("amount").strip().replace(",", "");
            if (text.startsWith("-")) {
                problem = "A refund must be more than zero. Nothing was refunded.";
            } else if (!text.matches("\\d{1,9}(\\.\\d{1,3})?")) {
                problem = "Enter the amount to refund as a number, such as 10.00. Nothing was refunded.";
            } else if (new BigDecimal(text).scale() > Money.exponent(received.get().currency())) {
                problem = "Use at most " + Money.exponent(received.get().currency()) + " decimals. Nothing was refunded.";
            } else {
                amount = Money.ofMajor(new BigDecimal(text), received.get().currency());
            }
        }
        PaymentActions.Outcome outcome = problem != null ? new PaymentActions.Outcome(false, problem)
                : actions.refund(new PaymentActions.RefundOrder(order.id(), amount, copies, "on".equals(form.get("restock")),
                        form.get("reason"), form.get("token"), admin.email()));
        String typed = form.get("amount") == null || form.get("amount").isBlank() ? null : form.get("amount").strip();
        String asked = (amount != null ? amount.display() : typed != null ? typed : copies.isEmpty() ? "nothing" : "books " + copies)
                + (form.get("reason") != null ? " (" + form.get("reason") + ")" : "") + ("on".equals(form.get("restock")) ? ", put back in stock" : "");
        audit.record(admin, "refund", order.id(), null, "Refund of " + asked + ": " + outcome.message());
        if (!outcome.done()) {
            redirect.addFlashAttribute("refundAmount", form.getOrDefault("amount", ""));
        }
        return answer(order, outcome, redirect);
    }

    @PostMapping("/admin/orders/{id}/refunds/{refund}/send-again")
    String sendAgain(@PathVariable String id, @PathVariable long refund, @AuthenticationPrincipal BuyerPrincipal admin,
            RedirectAttributes redirect) {
        Order order = find(id);
        PaymentActions.Outcome outcome = actions.sendAgain(order.id(), refund, admin.email());
        audit.record(admin, "refund_send_again", order.id(), null, "Sent refund request #" + refund + " again: " + outcome.message());
        return answer(order, outcome, redirect);
    }

    @PostMapping("/admin/orders/{id}/refunds/{refund}/handled")
    String refundHandled(@PathVariable String id, @PathVariable long refund, @AuthenticationPrincipal BuyerPrincipal admin,
            RedirectAttributes redirect) {
        Order order = find(id);
        PaymentActions.Outcome outcome = actions.markRefundHandled(order.id(), refund, admin.email());
        audit.record(admin, "refund_handled", order.id(), null, "Marked the failed refund #" + refund + " as dealt with");
        return answer(order, outcome, redirect);
    }

    @PostMapping("/admin/orders/{id}/disputes/{dispute}/evidence")
    String evidence(@PathVariable String id, @PathVariable String dispute, @RequestParam Map<String, String> form,
            @AuthenticationPrincipal BuyerPrincipal admin, RedirectAttributes redirect) {
        Order order = find(id);
        PaymentActions.Evidence evidence = new PaymentActions.Evidence(form.get("productDescription"), form.get("customerCommunication"),
                form.get("receipt"), form.get("refundPolicy"), form.get("shippingOrAccess"));
        boolean submit = "true".equals(form.get("submit"));
        String tooLong = java.util.stream.Stream.of(evidence.productDescription(), evidence.customerCommunication(), evidence.receipt(),
                evidence.refundPolicy(), evidence.shippingOrAccess()).anyMatch(text -> text != null && text.length() > 4000)
                ? "Each piece of evidence can be at most 4000 characters. Nothing was sent." : null;
        boolean empty = java.util.stream.Stream.of(evidence.productDescription(), evidence.customerCommunication(), evidence.receipt(),
                evidence.refundPolicy(), evidence.shippingOrAccess()).allMatch(text -> text == null || text.isBlank());
        PaymentActions.Outcome outcome = tooLong != null ? new PaymentActions.Outcome(false, tooLong)
                : empty ? new PaymentActions.Outcome(false, "Write at least one piece of evidence. Nothing was sent.")
                : actions.respondToDispute(order.id(), dispute, evidence, submit, admin.email());
        audit.record(admin, submit ? "dispute_evidence_submitted" : "dispute_evidence_saved", order.id(), null,
                (submit ? "Submitted" : "Saved") + " evidence for dispute " + dispute + ": " + outcome.message());
        if (!outcome.done()) {
            // Kept in the session until the page shows it again: a plain map, which the session can store.
            Map<String, String> typed = new LinkedHashMap<>();
            for (String field : new String[] {"productDescription", "customerCommunication", "receipt", "refundPolicy", "shippingOrAccess"}) {
                typed.put(field, form.getOrDefault(field, ""));
            }
            redirect.addFlashAttribute("evidence", typed);
        }
        return answer(order, outcome, redirect);
    }

    @PostMapping("/admin/orders/{id}/disputes/{dispute}/accept")
    String accept(@PathVariable String id, @PathVariable String dispute, @AuthenticationPrincipal BuyerPrincipal admin,
            RedirectAttributes redirect) {
        Order order = find(id);
        PaymentActions.Outcome outcome = actions.acceptDispute(order.id(), dispute, admin.email());
        audit.record(admin, "dispute_accepted", order.id(), null, "Accepted dispute " + dispute + ": " + outcome.message());
        return answer(order, outcome, redirect);
    }

    @PostMapping("/admin/orders/{id}/recheck")
    String recheck(@PathVariable String id, @AuthenticationPrincipal BuyerPrincipal admin, RedirectAttributes redirect) {
        Order order = find(id);
        PaymentActions.Outcome outcome = actions.recheck(order.id(), "re-check with Stripe by " + admin.email());
        audit.record(admin, "recheck", order.id(), null, outcome.message());
        return answer(order, outcome, redirect);
    }

    @PostMapping("/admin/orders/{id}/notes")
    String note(@PathVariable String id, @RequestParam(name = "note", required = false) String note,
            @AuthenticationPrincipal BuyerPrincipal admin, RedirectAttributes redirect) {
        Order order = find(id);
        String text = note == null ? "" : note.strip();
        if (text.isEmpty() || text.length() > 2000) {
            redirect.addFlashAttribute("error", "A note must be 1 to 2000 characters.");
            redirect.addFlashAttribute("noteText", text);
            return "redirect:/admin/orders/" + order.id() + "#notes";
        }
        audit.record(admin, "note", order.id(), null, text);
        redirect.addFlashAttribute("notice", "Note added.");
        return "redirect:/admin/orders/" + order.id() + "#notes";
    }

    @PostMapping("/admin/attention/{attention}/handled")
    String attentionHandled(@PathVariable long attention, @RequestParam(name = "order", required = false) Long orderId,
            @AuthenticationPrincipal BuyerPrincipal admin, RedirectAttributes redirect, HttpServletRequest request) {
        PaymentActions.Outcome outcome = actions.markAttentionHandled(attention, admin.email());
        audit.record(admin, "attention_handled", orderId, null, "Marked a payment needing attention (#" + attention + ") as dealt with");
        redirect.addFlashAttribute(outcome.done() ? "notice" : "error", outcome.message());
        return "redirect:/admin";
    }

    private static String answer(Order order, PaymentActions.Outcome outcome, RedirectAttributes redirect) {
        redirect.addFlashAttribute(outcome.done() ? "notice" : "error", outcome.message());
        return "redirect:/admin/orders/" + order.id();
    }

    private Order find(String id) {
        return (id.matches("\\d{1,18}") ? orders.findById(Long.parseLong(id)) : java.util.Optional.<Order>empty())
                .filter(order -> order.status() != OrderStatus.CART || order.placedAt() != null || order.accountId() != null)
                .orElseThrow(() -> new NotFoundException("There is no order #" + id + "."));
    }

    private Instant day(String text, String field, Map<String, String> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip()).atStartOfDay(times.zone()).toInstant();
        } catch (DateTimeParseException e) {
            problems.put(field, "Enter the date as YYYY-MM-DD.");
            return null;
        }
    }
}
