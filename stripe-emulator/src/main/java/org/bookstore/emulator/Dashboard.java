package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A read-only local dashboard at {@code /dashboard}: payments, Checkout Sessions, customers, refunds, disputes, events
 * and every webhook delivery attempt, newest first. Server-rendered, no script, no external resources.
 */
final class Dashboard {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME_MS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private static final String CSS = "body{font-family:-apple-system,system-ui,Segoe UI,Roboto,sans-serif;"
            + "background:#f6f9fc;color:#30313d;margin:0}header{background:#fff;border-bottom:1px solid #e3e8ee;"
            + "padding:14px 24px;display:flex;gap:18px;align-items:center;flex-wrap:wrap;position:sticky;top:0;z-index:1}"
            + "header nav{display:flex;gap:18px;flex-wrap:wrap}header h1{font-size:18px;"
            + "margin:0}header a{color:#5046e5;text-decoration:none;font-size:14px}main{padding:8px 24px 40px}"
            + "h2{font-size:16px;margin:28px 0 8px}table{border-collapse:collapse;width:100%;background:#fff;"
            + "font-size:13px;box-shadow:0 1px 3px rgba(0,0,0,.06)}th,td{text-align:left;padding:6px 10px;"
            + "border-bottom:1px solid #e3e8ee;white-space:nowrap}th{background:#f6f8fa;color:#596171;"
            + "font-weight:600}td.num{text-align:right}code{font-size:12px}.empty{color:#596171;font-size:13px}"
            + ".st{display:inline-block;border-radius:4px;padding:1px 6px;font-size:12px;background:#ebeef1}"
            + ".ok{background:#d7f7c2;color:#05690d}.bad{background:#ffe7f2;color:#b3093c}.wait{background:#fcedb9;"
            + "color:#a82c00}.test{background:#ffde92;color:#a04100;font-size:11px;font-weight:700;padding:2px 6px;"
            + "border-radius:4px}.scroll{overflow-x:auto;box-shadow:0 1px 3px rgba(0,0,0,.06)}"
            + ":focus-visible{outline:3px solid #5046e5;outline-offset:2px}";

    private final Engine engine;
    private final Webhooks webhooks;

    Dashboard(Engine engine, Webhooks webhooks) {
        this.engine = engine;
        this.webhooks = webhooks;
    }

    Api.Resp render() {
        StringBuilder b = new StringBuilder();
        b.append("<header><h1>Stripe emulator</h1><span class=\"test\">TEST MODE</span><nav aria-label=\"Sections\">");
        for (String[] s : new String[][] {{"payments", "Payments"}, {"sessions", "Checkout Sessions"},
            {"customers", "Customers"}, {"refunds", "Refunds"}, {"disputes", "Disputes"}, {"events", "Events"},
            {"webhooks", "Webhook deliveries"}}) {
            b.append("<a href=\"#").append(s[0]).append("\">").append(s[1]).append("</a>");
        }
        b.append("</nav></header><main>");

        section(b, "payments", "Payments", newest("payment_intent"),
                List.of("Payment intent", "Amount", "Status", "Latest charge", "Customer", "Description",
                        "Statement descriptor", "Created"),
                pi -> List.of(code(pi, "id"), money(pi.path("amount").asLong(), pi.path("currency").asText()),
                        status(pi.path("status").asText()), code(pi, "latest_charge"), code(pi, "customer"),
                        text(pi, "description"), Pages.esc(StatementDescriptors.calculated(pi)),
                        time(pi.path("created").asLong())));
        section(b, "sessions", "Checkout Sessions", newest("checkout.session"),
                List.of("Session", "Amount", "Status", "Payment status", "Payment intent", "Customer email", "Created"),
                s -> List.of(code(s, "id"), money(s.path("amount_total").asLong(), s.path("currency").asText()),
                        status(s.path("status").asText()), status(s.path("payment_status").asText()),
                        code(s, "payment_intent"), Pages.esc(email(s)), time(s.path("created").asLong())));
        section(b, "customers", "Customers", newest("customer"),
                List.of("Customer", "Email", "Name", "Created"),
                c -> List.of(code(c, "id"), text(c, "email"), text(c, "name"), time(c.path("created").asLong())));
        section(b, "refunds", "Refunds", newest("refund"),
                List.of("Refund", "Amount", "Status", "Charge", "Payment intent", "Reason", "Created"),
                r -> List.of(code(r, "id"), money(r.path("amount").asLong(), r.path("currency").asText()),
                        status(r.path("status").asText()), code(r, "charge"), code(r, "payment_intent"),
                        text(r, "reason"), time(r.path("created").asLong())));
        section(b, "disputes", "Disputes", newest("dispute"),
                List.of("Dispute", "Amount", "Status", "Reason", "Charge", "Payment intent", "Created"),
                d -> List.of(code(d, "id"), money(d.path("amount").asLong(), d.path("currency").asText()),
                        status(d.path("status").asText()), text(d, "reason"), code(d, "charge"),
                        code(d, "payment_intent"), time(d.path("created").asLong())));
        section(b, "events", "Events", newest("event"),
                List.of("Event", "Type", "Object", "Pending webhooks", "Created"),
                e -> List.of(code(e, "id"), "<code>" + Pages.esc(e.path("type").asText()) + "</code>",
                        "<code>" + Pages.esc(e.path("data").path("object").path("id").asText()) + "</code>",
                        num(e.path("pending_webhooks").asLong()), time(e.path("created").asLong())));

        List<DeliveryAttempt> attempts = new ArrayList<>(webhooks.attempts());
        Collections.reverse(attempts);
        section(b, "webhooks", "Webhook deliveries", attempts,
                List.of("Time", "Event", "Type", "Endpoint", "Attempt", "Response", "Duration"),
                a -> List.of(Pages.esc(TIME_MS.format(Instant.ofEpochMilli(a.startedAt()))),
                        "<code>" + Pages.esc(a.eventId()) + "</code>", "<code>" + Pages.esc(a.eventType()) + "</code>",
                        Pages.esc(a.url()) + " <code>" + Pages.esc(a.endpointId()) + "</code>", num(a.attempt()),
                        response(a), Pages.esc(a.durationMillis() + " ms")));
        b.append("</main>");

        String page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Stripe emulator dashboard</title><style>" + CSS + "</style></head><body>" + b
                + "</body></html>";
        Api.Resp r = new Api.Resp(200, page.getBytes(StandardCharsets.UTF_8));
        r.headers.put("Content-Type", "text/html; charset=utf-8");
        r.headers.put("Cache-Control", "no-store");
        return r;
    }

    private List<ObjectNode> newest(String table) {
        List<ObjectNode> all = new ArrayList<>(engine.all(table));
        Collections.reverse(all);
        return all;
    }

    private static <T> void section(StringBuilder b, String id, String title, List<T> rows, List<String> columns,
            Function<T, List<String>> cells) {
        b.append("<section id=\"").append(id).append("\"><h2>").append(title).append(" <span class=\"st\">")
                .append(rows.size()).append("</span></h2>");
        if (rows.isEmpty()) {
            b.append("<p class=\"empty\">None yet.</p></section>");
            return;
        }
        // Wide tables scroll inside their own box (reachable by keyboard), so the page, and its header, keep the
        // window's width.
        b.append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"").append(Pages.esc(title))
                .append("\"><table><thead><tr>");
        columns.forEach(c -> b.append("<th scope=\"col\">").append(Pages.esc(c)).append("</th>"));
        b.append("</tr></thead><tbody>");
        for (T row : rows) {
            b.append("<tr>");
            for (String cell : cells.apply(row)) {
                b.append("<td>").append(cell).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table></div></section>");
    }

    private static String code(JsonNode o, String field) {
        JsonNode v = o.path(field);
        if (v.isObject()) {
            v = v.path("id");
        }
        return v.isTextual() ? "<code>" + Pages.esc(v.asText()) + "</code>" : "";
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.path(field);
        return v.isTextual() ? Pages.esc(v.asText()) : "";
    }

    private static String email(JsonNode s) {
        if (s.path("customer_email").isTextual()) {
            return s.path("customer_email").asText();
        }
        JsonNode d = s.path("customer_details").path("email");
        return d.isTextual() ? d.asText() : "";
    }

    private static String num(long n) {
        return Long.toString(n);
    }

    private static String money(long amount, String currency) {
        if (currency == null || currency.isEmpty() || currency.equals("null")) {
            return Pages.esc(Long.toString(amount));
        }
        try {
            return Pages.esc(Money.format(amount, currency) + " " + currency.toUpperCase());
        } catch (RuntimeException e) {
            return Pages.esc(amount + " " + currency.toUpperCase());
        }
    }

    private static String time(long epochSeconds) {
        return epochSeconds <= 0 ? "" : Pages.esc(TIME.format(Instant.ofEpochSecond(epochSeconds)));
    }

    private static String status(String s) {
        if (s == null || s.isEmpty() || s.equals("null")) {
            return "";
        }
        String cls = switch (s) {
            case "succeeded", "paid", "complete", "won", "no_payment_required" -> "st ok";
            case "canceled", "failed", "expired", "lost", "requires_payment_method" -> "st bad";
            case "requires_action", "processing", "pending", "open", "needs_response", "unpaid",
                    "requires_capture", "under_review", "warning_needs_response" -> "st wait";
            default -> "st";
        };
        return "<span class=\"" + cls + "\">" + Pages.esc(s) + "</span>";
    }

    private static String response(DeliveryAttempt a) {
        String text = a.statusCode() != null ? Integer.toString(a.statusCode()) : "error: " + a.error();
        if (a.signatureCorrupted()) {
            text += " (corrupted signature)";
        }
        return "<span class=\"" + (a.succeeded() ? "st ok" : "st bad") + "\">" + Pages.esc(text) + "</span>";
    }
}
