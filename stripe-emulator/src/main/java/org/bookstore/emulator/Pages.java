package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Server-rendered pages: hosted Checkout at {@code /c/pay/{session}} and 3-D Secure at {@code /3ds/{intent}}. */
final class Pages {
    private final Engine engine;

    Pages(Engine engine) {
        this.engine = engine;
    }

    static Map<String, String> form(String... encoded) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String enc : encoded) {
            if (enc == null || enc.isEmpty()) {
                continue;
            }
            for (String part : enc.split("&")) {
                int eq = part.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                m.put(k, v);
            }
        }
        return m;
    }

    /** The email of the session's Customer, if it names one that has an email. */
    private String customerEmail(JsonNode session) {
        String customerId = session.path("customer").isTextual() ? session.path("customer").asText()
                : session.path("customer").path("id").asText(null);
        if (customerId == null) {
            return null;
        }
        JsonNode customer = engine.locked(() -> engine.find(customerId));
        return customer != null && customer.path("email").isTextual() ? customer.path("email").asText() : null;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '&':
                    sb.append("&amp;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&#39;");
                    break;
                default:
                    sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Api.Resp html(int status, String title, String body) {
        String page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + "</title><style>" + CSS + "</style></head><body>" + body + "</body></html>";
        Api.Resp r = new Api.Resp(status, page.getBytes(StandardCharsets.UTF_8));
        r.headers.put("Content-Type", "text/html; charset=utf-8");
        r.headers.put("Cache-Control", "no-store");
        return r;
    }

    static Api.Resp redirect(String url) {
        Api.Resp r = new Api.Resp(303, new byte[0]);
        r.headers.put("Location", url);
        return r;
    }

    private static final String CSS = "body{font-family:-apple-system,system-ui,Segoe UI,Roboto,sans-serif;"
            + "background:#f6f9fc;color:#30313d;margin:0}main{max-width:920px;margin:40px auto;display:flex;"
            + "flex-wrap:wrap;gap:40px;padding:0 20px}section{flex:1;min-width:300px}"
            + ".summary h1{font-size:16px;color:#596171;font-weight:500}.total{font-size:36px;font-weight:600;"
            + "margin:4px 0 24px}table{width:100%;border-collapse:collapse}td{padding:8px 0;border-bottom:1px solid"
            + " #e3e8ee}td.amt{text-align:right}form{background:#fff;padding:24px;border-radius:8px;box-shadow:0 2px"
            + " 8px rgba(0,0,0,.08)}label{display:block;font-size:13px;color:#596171;margin:14px 0 4px}"
            + "input{width:100%;box-sizing:border-box;padding:10px;border:1px solid #d5dbe1;border-radius:6px;"
            + "font-size:16px}.row{display:flex;gap:12px}.row>div{flex:1}button{margin-top:22px;width:100%;"
            + "padding:12px;background:#635bff;color:#fff;border:0;border-radius:6px;font-size:16px;"
            + "font-weight:600;cursor:pointer}button.secondary{background:#fff;color:#30313d;border:1px solid"
            + " #d5dbe1}.error{color:#c0123c;background:#fff5f7;border:1px solid #f8c8d2;padding:10px;"
            + "border-radius:6px;margin-top:12px}a.back{color:#5046e5;text-decoration:none;font-size:14px}"
            + ".test{display:inline-block;background:#ffde92;color:#a04100;font-size:11px;font-weight:700;"
            + "padding:2px 6px;border-radius:4px;margin-left:8px}.hint{font-size:12px;color:#596171;margin:8px 0 0}.card{max-width:440px;margin:60px auto;"
            + "background:#fff;padding:28px;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.08)}"
            // Forms that are only a button sit in the card as they are, side by side, not each in a box of its own.
            + ".actions{display:flex;gap:12px;margin-top:8px}.actions form.plain{flex:1;background:none;padding:0;"
            + "box-shadow:none;border-radius:0}.actions button{margin-top:0}"
            + ":focus-visible{outline:3px solid #5046e5;outline-offset:2px}";

    // ---------------------------------------------------------------- checkout

    Api.Resp checkout(String method, String[] seg, String query, String body) {
        // seg: ["c","pay",id] or ["c","pay",id,"return"]
        if (seg.length < 3) {
            return notFound();
        }
        String id = seg[2];
        ObjectNode s;
        try {
            s = engine.locked(() -> engine.checkoutSessions.retrieve(id));
        } catch (StripeError e) {
            return notFound();
        }
        if (seg.length == 4 && seg[3].equals("return")) {
            HostedCheckout.PayResult r = engine.locked(() -> engine.hostedCheckout.afterAuthentication(id));
            if (r.redirect != null) {
                return redirect(r.redirect);
            }
            return checkoutPage(engine.locked(() -> engine.checkoutSessions.retrieve(id)), r.error, Map.of());
        }
        if (seg.length != 3) {
            return notFound();
        }
        if (method.equals("POST")) {
            Map<String, String> f = form(body);
            if (f.containsKey("apply_code")) {
                HostedCheckout.PayResult r = engine.locked(() -> engine.hostedCheckout.applyCode(id,
                        f.get("promotion_code")));
                return checkoutPage(engine.locked(() -> engine.checkoutSessions.retrieve(id)), r.error, f);
            }
            if (f.containsKey("update_shipping")) {
                HostedCheckout.PayResult r = engine.locked(() -> engine.hostedCheckout.chooseShipping(id,
                        f.get("shipping_rate")));
                return checkoutPage(engine.locked(() -> engine.checkoutSessions.retrieve(id)), r.error, f);
            }
            HostedCheckout.PayResult r = engine.locked(() -> engine.hostedCheckout.pay(id, f));
            if (r.redirect != null) {
                return redirect(r.redirect);
            }
            if (r.error == null) {
                return completePage();
            }
            return checkoutPage(engine.locked(() -> engine.checkoutSessions.retrieve(id)), r.error, f);
        }
        if (s.path("status").asText().equals("complete")) {
            if (s.path("success_url").isTextual()) {
                return redirect(s.path("success_url").asText().replace("{CHECKOUT_SESSION_ID}", id));
            }
            return completePage();
        }
        return checkoutPage(s, null, Map.of());
    }

    private Api.Resp completePage() {
        return html(200, "Payment complete", "<div class=\"card\"><h1>Thanks for your payment</h1>"
                + "<p>Your payment is complete.</p></div>");
    }

    private static Api.Resp notFound() {
        return html(404, "Not found", "<div class=\"card\"><h1>Page not found</h1>"
                + "<p>Something went wrong: this link is invalid.</p></div>");
    }

    private Api.Resp checkoutPage(ObjectNode s, String error, Map<String, String> prev) {
        String id = s.path("id").asText();
        String cur = s.path("currency").asText();
        if (s.path("status").asText().equals("expired")) {
            String back = s.path("cancel_url").isTextual()
                    ? "<p><a class=\"back\" href=\"" + esc(s.path("cancel_url").asText()) + "\">Return to the shop</a></p>"
                    : "";
            return html(410, "Session expired", "<div class=\"card\"><h1>This session has expired</h1>"
                    + "<p>The checkout session is no longer available. Return to the shop to start again.</p>" + back
                    + "</div>");
        }
        StringBuilder b = new StringBuilder("<main><section class=\"summary\">");
        if (s.path("cancel_url").isTextual()) {
            b.append("<a class=\"back\" id=\"back\" href=\"").append(esc(s.path("cancel_url").asText()))
                    .append("\">&larr; Back</a>");
        }
        b.append("<span class=\"test\">TEST MODE</span>");
        b.append("<p class=\"hint\">Test card 4242 4242 4242 4242, any future expiry, any CVC.</p>");
        b.append("<h1>Pay Bookstore</h1><div class=\"total\" id=\"total\">")
                .append(esc(Money.format(s.path("amount_total").asLong(), cur))).append(' ')
                .append(esc(cur.toUpperCase())).append("</div><table id=\"line-items\">");
        ArrayNode items = engine.locked(() -> engine.checkoutSessions.lineItemsOf(id));
        for (JsonNode li : items) {
            b.append("<tr class=\"line-item\"><td>").append(esc(li.path("description").asText()));
            if (li.path("quantity").asLong() > 1) {
                b.append(" &times; ").append(li.path("quantity").asLong());
            }
            b.append("</td><td class=\"amt\">").append(esc(Money.format(li.path("amount_subtotal").asLong(), cur)))
                    .append("</td></tr>");
        }
        JsonNode td = s.path("total_details");
        boolean details = td.path("amount_discount").asLong() > 0 || td.path("amount_tax").asLong() > 0
                || s.path("shipping_cost").isObject();
        if (details) {
            row(b, "subtotal", "Subtotal", Money.format(s.path("amount_subtotal").asLong(), cur));
        }
        if (td.path("amount_discount").asLong() > 0) {
            String code = s.path("discounts").path(0).path("promotion_code").asText("");
            ObjectNode pc = code.isEmpty() ? null : engine.locked(() -> engine.table("promotion_code").get(code));
            ObjectNode coupon = engine.locked(() -> engine.table("coupon").get(
                    s.path("discounts").path(0).path("coupon").asText()));
            String label = pc != null ? pc.path("code").asText() : coupon != null && coupon.path("name").isTextual()
                    ? coupon.path("name").asText() : "Discount";
            row(b, "discount", "Discount (" + label + ")",
                    "-" + Money.format(td.path("amount_discount").asLong(), cur));
        }
        if (s.path("shipping_cost").isObject()) {
            row(b, "shipping", "Shipping", Money.format(td.path("amount_shipping").asLong(), cur));
        }
        if (td.path("amount_tax").asLong() > 0) {
            row(b, "tax", "Tax", Money.format(td.path("amount_tax").asLong(), cur));
        }
        b.append("<tr><td><strong>Total due</strong></td><td class=\"amt\" id=\"total-due\"><strong>")
                .append(esc(Money.format(s.path("amount_total").asLong(), cur))).append("</strong></td></tr>");
        b.append("</table>");
        if (s.path("allow_promotion_codes").asBoolean()) {
            b.append("<form method=\"post\" action=\"/c/pay/").append(esc(id)).append("\" id=\"promo-form\">")
                    .append("<label for=\"promotion_code\">Promotion code</label><input id=\"promotion_code\" ")
                    .append("name=\"promotion_code\" value=\"").append(esc(prev.getOrDefault("promotion_code", "")))
                    .append("\"><button type=\"submit\" class=\"secondary\" name=\"apply_code\" value=\"1\">Apply")
                    .append("</button></form>");
        }
        b.append("</section><section><form method=\"post\" action=\"/c/pay/").append(esc(id))
                .append("\" id=\"payment-form\"")
                // A decline is read out (role=alert) and describes the form, and the card number it is about.
                .append(error != null ? " aria-describedby=\"error\"" : "").append(">");
        if (s.path("shipping_options").size() > 0) {
            b.append("<fieldset id=\"shipping-options\"><legend>Shipping method</legend>");
            String current = s.path("shipping_cost").path("shipping_rate").asText();
            for (JsonNode o : s.path("shipping_options")) {
                String rid = o.path("shipping_rate").asText();
                ObjectNode rate = engine.locked(() -> engine.table("shipping_rate").get(rid));
                String name = rate == null ? rid : rate.path("display_name").asText();
                // choosing another option shows its total before paying, as Checkout does
                b.append("<label><input type=\"radio\" name=\"shipping_rate\" value=\"").append(esc(rid))
                        .append("\" onchange=\"document.getElementById('update-shipping').click()\"")
                        .append(rid.equals(current) ? " checked" : "").append("> ").append(esc(name))
                        .append(" ").append(esc(Money.format(o.path("shipping_amount").asLong(), cur)))
                        .append("</label>");
            }
            b.append("</fieldset>");
        }
        JsonNode countries = s.path("shipping_address_collection").path("allowed_countries");
        if (countries.isArray()) {
            b.append("<fieldset id=\"shipping-address\"><legend>Shipping address</legend>");
            input(b, "shipping_name", "Full name", prev);
            input(b, "shipping_line1", "Address", prev);
            input(b, "shipping_city", "City", prev);
            input(b, "shipping_postal_code", "Postal code", prev);
            b.append("<label for=\"shipping_country\">Country</label><select id=\"shipping_country\" ")
                    .append("name=\"shipping_country\">");
            for (JsonNode c : countries) {
                b.append("<option").append(c.asText().equals(prev.get("shipping_country")) ? " selected" : "")
                        .append(">").append(esc(c.asText())).append("</option>");
            }
            b.append("</select></fieldset>");
        }
        // As Stripe does, the email comes from customer_email or the session's Customer and cannot be changed here.
        String customerEmail = customerEmail(s);
        String email = s.path("customer_email").isTextual() ? s.path("customer_email").asText()
                : customerEmail != null ? customerEmail
                : prev.getOrDefault("email", s.path("customer_details").path("email").asText(""));
        boolean fixedEmail = s.path("customer_email").isTextual() || customerEmail != null;
        b.append("<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" "
                + "autocomplete=\"email\" value=\"").append(esc(email)).append("\"")
                .append(fixedEmail ? " readonly" : "").append(">");
        b.append("<label for=\"card_number\">Card number</label><input id=\"card_number\" name=\"card_number\" ")
                .append(error != null ? "aria-describedby=\"error\" " : "")
                .append("inputmode=\"numeric\" autocomplete=\"cc-number\" placeholder=\"1234 1234 1234 1234\" value=\"")
                .append(esc(prev.getOrDefault("card_number", ""))).append("\">");
        b.append("<div class=\"row\"><div><label for=\"expiry\">Expiry</label><input id=\"expiry\" name=\"expiry\" "
                + "autocomplete=\"cc-exp\" placeholder=\"MM / YY\" value=\"")
                .append(esc(prev.getOrDefault("expiry", ""))).append("\"></div>");
        b.append("<div><label for=\"cvc\">CVC</label><input id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" "
                + "autocomplete=\"cc-csc\" placeholder=\"CVC\" value=\"\"></div></div>");
        b.append("<label for=\"name\">Name on card</label><input id=\"name\" name=\"name\" autocomplete=\"cc-name\" "
                + "value=\"").append(esc(prev.getOrDefault("name", ""))).append("\">");
        if (error != null) {
            b.append("<div class=\"error\" id=\"error\" role=\"alert\">").append(esc(error)).append("</div>");
        }
        b.append("<button type=\"submit\" id=\"pay\">Pay</button></form>");
        if (s.path("shipping_options").size() > 0) {
            // after Pay in the page, so that Enter in the form still pays
            b.append("<button type=\"submit\" form=\"payment-form\" hidden id=\"update-shipping\" ")
                    .append("name=\"update_shipping\" value=\"1\">Update total</button>");
        }
        boolean sepa = false;
        for (JsonNode t : s.path("payment_method_types")) {
            sepa |= t.asText().equals("sepa_debit");
        }
        if (sepa) {
            b.append("<form method=\"post\" action=\"/c/pay/").append(esc(id)).append("\" id=\"sepa-form\">")
                    .append("<h2>Or pay by SEPA Direct Debit</h2><input type=\"hidden\" name=\"method\" ")
                    .append("value=\"sepa_debit\"><label for=\"sepa_email\">Email</label><input id=\"sepa_email\" ")
                    .append("name=\"email\" type=\"email\" value=\"").append(esc(email)).append("\"")
                    .append(fixedEmail ? " readonly" : "").append("><label for=\"sepa_name\">Account holder name")
                    .append("</label><input id=\"sepa_name\" name=\"name\"><label for=\"iban\">IBAN</label>")
                    .append("<input id=\"iban\" name=\"iban\" placeholder=\"DE00 0000 0000 0000 0000 00\">")
                    .append("<button type=\"submit\" id=\"pay-sepa\">Pay with SEPA Direct Debit</button></form>");
        }
        b.append("</section></main>");
        return html(200, "Checkout", b.toString());
    }

    private static void row(StringBuilder b, String id, String label, String amount) {
        b.append("<tr class=\"total-line\" id=\"").append(id).append("\"><td>").append(esc(label))
                .append("</td><td class=\"amt\">").append(esc(amount)).append("</td></tr>");
    }

    private static void input(StringBuilder b, String name, String label, Map<String, String> prev) {
        b.append("<label for=\"").append(name).append("\">").append(esc(label)).append("</label><input id=\"")
                .append(name).append("\" name=\"").append(name).append("\" value=\"")
                .append(esc(prev.getOrDefault(name, ""))).append("\">");
    }

    // ---------------------------------------------------------------- receipts

    Api.Resp receipt(String[] seg) {
        if (seg.length != 2 || !seg[1].startsWith("ch_")) {
            return notFound();
        }
        ObjectNode ch;
        try {
            ch = engine.locked(() -> engine.charges.retrieve(seg[1]));
        } catch (StripeError e) {
            return notFound();
        }
        String cur = ch.path("currency").asText();
        JsonNode card = ch.path("payment_method_details").path("card");
        String method = card.isObject() ? card.path("brand").asText() + " •••• " + card.path("last4").asText()
                : ch.path("payment_method_details").path("type").asText();
        StringBuilder b = new StringBuilder("<div class=\"card\"><span class=\"test\">TEST MODE</span>");
        b.append("<h1>Receipt from Bookstore</h1><table>");
        b.append("<tr><td>Amount paid</td><td class=\"amt\" id=\"amount\">")
                .append(esc(Money.format(ch.path("amount_captured").asLong(), cur))).append(' ')
                .append(esc(cur.toUpperCase())).append("</td></tr>");
        if (ch.path("amount_refunded").asLong() > 0) {
            b.append("<tr><td>Refunded</td><td class=\"amt\">")
                    .append(esc(Money.format(ch.path("amount_refunded").asLong(), cur))).append("</td></tr>");
        }
        b.append("<tr><td>Date paid</td><td class=\"amt\">")
                .append(esc(java.time.Instant.ofEpochSecond(ch.path("created").asLong()).toString()))
                .append("</td></tr><tr><td>Payment method</td><td class=\"amt\">").append(esc(method))
                .append("</td></tr><tr><td>Charge</td><td class=\"amt\">").append(esc(ch.path("id").asText()))
                .append("</td></tr></table></div>");
        return html(200, "Receipt", b.toString());
    }

    // ---------------------------------------------------------------- 3-D Secure

    Api.Resp threeDs(String method, String[] seg, String query, String body) {
        // ["3ds", pi] GET, ["3ds", pi, "complete"|"fail"] POST
        if (seg.length < 2) {
            return notFound();
        }
        String piId = seg[1];
        Map<String, String> f = form(query, body);
        String secret = f.get("client_secret");
        ObjectNode pi;
        try {
            pi = engine.locked(() -> engine.threeDSecure.forAuthentication(piId, secret));
        } catch (StripeError e) {
            return notFound();
        }
        // mode=modal: the page runs inside a frame opened by a script, which waits for its message instead of a
        // redirect
        boolean modal = "modal".equals(f.get("mode"));
        // with origin=..., the message goes to that origin only (the stand-in Stripe.js's modal passes its page's)
        String target = modal ? messageOrigin(f.get("origin")) : null;
        if (seg.length == 2 && method.equals("GET")) {
            if (!pi.path("status").asText().equals("requires_action")) {
                return afterAuth(pi, modal ? null : ThreeDSecure.returnUrlFor(pi), modal, target);
            }
            String cur = pi.path("currency").asText();
            String action = "/3ds/" + esc(piId);
            String hidden = "<input type=\"hidden\" name=\"client_secret\" value=\"" + esc(secret) + "\">"
                    + (modal ? "<input type=\"hidden\" name=\"mode\" value=\"modal\">" : "")
                    + (target != null ? "<input type=\"hidden\" name=\"origin\" value=\"" + esc(target) + "\">" : "");
            return html(200, "3D Secure authentication", "<div class=\"card\"><span class=\"test\">TEST MODE</span>"
                    + "<h1>3D Secure 2 test page</h1><p>Authenticate a payment of <strong>"
                    + esc(Money.format(pi.path("amount").asLong(), cur)) + " " + esc(cur.toUpperCase())
                    + "</strong>.</p><p>Complete or fail the test authentication.</p>"
                    + "<div class=\"actions\"><form class=\"plain\" method=\"post\" action=\"" + action + "/complete\">" + hidden
                    + "<button type=\"submit\" id=\"complete\">Complete</button></form>"
                    + "<form class=\"plain\" method=\"post\" action=\"" + action + "/fail\">" + hidden
                    + "<button type=\"submit\" class=\"secondary\" id=\"fail\">Fail</button></form></div></div>");
        }
        if (seg.length == 3 && method.equals("POST") && (seg[2].equals("complete") || seg[2].equals("fail"))) {
            String returnUrl = modal ? null : ThreeDSecure.returnUrlFor(pi);
            boolean complete = seg[2].equals("complete");
            ObjectNode after = engine.locked(() -> engine.threeDSecure.authenticate(piId, secret, complete));
            return afterAuth(after, returnUrl, modal, target);
        }
        return notFound();
    }

    /** An {@code http(s)://host[:port]} origin to post the result to, or null (any origin, as before). */
    private static String messageOrigin(String origin) {
        if (origin == null || !origin.matches(
                "https?://([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?")) {
            return null;
        }
        return origin;
    }

    private Api.Resp afterAuth(ObjectNode pi, String returnUrl, boolean modal, String target) {
        String sid = engine.locked(() -> engine.checkoutSessions.sessionOf(pi.path("id").asText()));
        if (sid != null && !modal) {
            return redirect("/c/pay/" + sid + "/return");
        }
        String status = pi.path("status").asText();
        String redirectStatus = status.equals("succeeded") || status.equals("requires_capture") ? "succeeded"
                : status.equals("processing") ? "pending" : "failed";
        if (returnUrl != null) {
            String sep = returnUrl.contains("?") ? "&" : "?";
            return redirect(returnUrl + sep + "payment_intent=" + enc(pi.path("id").asText())
                    + "&payment_intent_client_secret=" + enc(pi.path("client_secret").asText())
                    + "&redirect_status=" + redirectStatus);
        }
        return html(200, "Authentication finished", "<div class=\"card\"><h1>Authentication "
                + (redirectStatus.equals("succeeded") ? "complete" : "failed") + "</h1>"
                + "<p id=\"redirect-status\" data-status=\"" + redirectStatus + "\">You may close this window.</p>"
                + "<script>try{(window.opener||window.parent).postMessage({type:'stripe-emulator-3ds',status:'"
                + redirectStatus + "',paymentIntent:'" + esc(pi.path("id").asText()) + "'},"
                + (target == null ? "'*'" : "'" + target + "'") + ")}catch(e){}</script>"
                + "</div>");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
