package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The hosted Checkout page: the buyer's form becomes a payment method and a confirmed PaymentIntent. */
final class HostedCheckout extends Resource {
    HostedCheckout(Engine engine) {
        super(engine);
    }

    /** Outcome of a hosted-page payment. */
    static final class PayResult {
        final String redirect;
        final String error;

        PayResult(String redirect, String error) {
            this.redirect = redirect;
            this.error = error;
        }
    }

    /** The buyer applies a promotion code (the page's "Apply" button); the totals change. */
    PayResult applyCode(String sessionId, String code) {
        ObjectNode s = get("checkout.session", sessionId, "session");
        if (!s.path("status").asText().equals("open")) {
            return new PayResult(null, "This session has expired");
        }
        if (code == null || code.isBlank()) {
            return new PayResult(null, "Enter a promotion code.");
        }
        return new PayResult(null, engine.checkoutSessions.choose(s, code, null));
    }

    /** The buyer picks another shipping option; the totals change. */
    PayResult chooseShipping(String sessionId, String rate) {
        ObjectNode s = get("checkout.session", sessionId, "session");
        if (!s.path("status").asText().equals("open")) {
            return new PayResult(null, "This session has expired");
        }
        return new PayResult(null, engine.checkoutSessions.choose(s, null, rate));
    }

    /** The shipping address the page collected, checked against the allowed countries; null when fine. */
    private static String shippingDetails(ObjectNode s, Map<String, String> form) {
        JsonNode allowed = s.path("shipping_address_collection").path("allowed_countries");
        if (!allowed.isArray()) {
            return null;
        }
        String name = form.getOrDefault("shipping_name", "").trim();
        String line1 = form.getOrDefault("shipping_line1", "").trim();
        String city = form.getOrDefault("shipping_city", "").trim();
        String zip = form.getOrDefault("shipping_postal_code", "").trim();
        String country = form.getOrDefault("shipping_country", "").trim();
        if (name.isEmpty() || line1.isEmpty() || city.isEmpty() || zip.isEmpty()) {
            return "Your shipping address is incomplete.";
        }
        boolean ok = false;
        for (JsonNode c : allowed) {
            ok |= c.asText().equals(country);
        }
        if (!ok) {
            return "We cannot ship to this country.";
        }
        ObjectNode details = Json.obj();
        ObjectNode a = Json.address();
        a.put("city", city);
        a.put("country", country);
        a.put("line1", line1);
        a.put("postal_code", zip);
        details.set("address", a);
        details.put("name", name);
        ObjectNode ci = s.path("collected_information").isObject() ? (ObjectNode) s.get("collected_information")
                : s.putObject("collected_information");
        ci.putNull("business_name");
        ci.putNull("individual_name");
        ci.set("shipping_details", details);
        return null;
    }

    /** The buyer submits the hosted Checkout page. */
    PayResult pay(String sessionId, Map<String, String> form) {
        ObjectNode s = get("checkout.session", sessionId, "session");
        String status = s.path("status").asText();
        if (status.equals("complete")) {
            return new PayResult(successRedirect(s), null);
        }
        if (!status.equals("open")) {
            return new PayResult(null, "This session has expired");
        }
        if (s.path("shipping_options").size() > 0) {
            String chosen = form.get("shipping_rate");
            if (chosen != null && !chosen.equals(s.path("shipping_cost").path("shipping_rate").asText())) {
                String err = engine.checkoutSessions.choose(s, null, chosen);
                if (err != null) {
                    return new PayResult(null, err);
                }
            }
        }
        String shippingError = shippingDetails(s, form);
        if (shippingError != null) {
            return new PayResult(null, shippingError);
        }
        String email = form.getOrDefault("email", "").trim();
        if (!s.path("customer_email").isNull()) {
            email = s.path("customer_email").asText();
        } else if (!s.path("customer").isNull()) {
            ObjectNode c = table("customer").get(s.path("customer").asText());
            if (c != null && !c.path("email").isNull() && email.isEmpty()) {
                email = c.path("email").asText();
            }
        }
        if (email.isEmpty() || !email.contains("@")) {
            return new PayResult(null, "Your email address is incomplete.");
        }
        String name = form.getOrDefault("name", "").trim();
        Map<String, Object> billing = new LinkedHashMap<>();
        billing.put("email", email);
        if (!name.isEmpty()) {
            billing.put("name", name);
        }
        ObjectNode pm;
        if ("sepa_debit".equals(form.get("method"))) {
            boolean offered = false;
            for (JsonNode t : s.path("payment_method_types")) {
                offered |= t.asText().equals("sepa_debit");
            }
            if (!offered) {
                return new PayResult(null, "SEPA Direct Debit is not available for this payment.");
            }
            String iban = form.getOrDefault("iban", "").trim();
            if (iban.isEmpty()) {
                return new PayResult(null, "Your IBAN is incomplete.");
            }
            if (name.isEmpty()) {
                return new PayResult(null, "Your name is incomplete.");
            }
            Map<String, Object> sepa = new LinkedHashMap<>();
            sepa.put("iban", iban);
            try {
                pm = engine.paymentMethods.newSepaDebit(sepa, "sepa_debit", billing, "billing_details");
            } catch (StripeError e) {
                return new PayResult(null, e.getMessage());
            }
        } else {
            String number = form.getOrDefault("card_number", "").replaceAll("[\\s-]", "");
            String expiry = form.getOrDefault("expiry", "").replaceAll("\\s", "");
            String cvc = form.getOrDefault("cvc", "").trim();
            if (number.isEmpty()) {
                return new PayResult(null, "Your card number is incomplete.");
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d{1,2})/?(\\d{2}|\\d{4})$")
                    .matcher(expiry);
            if (!m.matches()) {
                return new PayResult(null, "Your card's expiration date is incomplete.");
            }
            if (cvc.isEmpty()) {
                return new PayResult(null, "Your card's security code is incomplete.");
            }
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("number", number);
            card.put("exp_month", m.group(1));
            card.put("exp_year", m.group(2));
            card.put("cvc", cvc);
            try {
                pm = engine.paymentMethods.newCard(card, "card", billing);
            } catch (StripeError e) {
                if ("expired_card".equals(e.code)) {
                    return new PayResult(null, "Your card's expiration date is in the past.");
                }
                return new PayResult(null, e.getMessage());
            }
        }
        ObjectNode pi = engine.checkoutSessions.paymentIntentOf(s);
        ObjectNode details = Json.obj();
        details.set("address", Json.address());
        details.putNull("business_name");
        details.put("email", email);
        details.putNull("individual_name");
        Json.putNullable(details, "name", name.isEmpty() ? null : name);
        details.putNull("phone");
        details.put("tax_exempt", "none");
        details.putArray("tax_ids");
        s.set("customer_details", details);
        JsonNode ship = s.path("collected_information").path("shipping_details");
        if (ship.isObject()) {
            // Checkout gives its PaymentIntent the shipping address it collected
            ObjectNode sh = Json.obj();
            sh.set("address", ship.get("address").deepCopy());
            sh.putNull("carrier");
            sh.set("name", ship.get("name").deepCopy());
            sh.putNull("phone");
            sh.putNull("tracking_number");
            pi.set("shipping", sh);
        }
        pi.put("payment_method", pm.path("id").asText());
        String returnUrl = host.baseUrl() + "/c/pay/" + sessionId + "/return";
        try {
            engine.paymentIntents.doConfirm(pi, returnUrl);
        } catch (StripeError e) {
            return new PayResult(null, e.getMessage());
        }
        if (pi.path("status").asText().equals("requires_action")) {
            return new PayResult(pi.path("next_action").path("redirect_to_url").path("url").asText(), null);
        }
        if (s.path("status").asText().equals("complete")) {
            return new PayResult(successRedirect(s), null);
        }
        return new PayResult(null, "Something went wrong.");
    }

    /** After a hosted-page 3-D Secure step: where the buyer goes next. */
    PayResult afterAuthentication(String sessionId) {
        ObjectNode s = get("checkout.session", sessionId, "session");
        if (s.path("status").asText().equals("complete")) {
            return new PayResult(successRedirect(s), null);
        }
        ObjectNode pi = s.path("payment_intent").isNull() ? null
                : table("payment_intent").get(s.path("payment_intent").asText());
        if (pi != null && !pi.path("last_payment_error").isNull()) {
            return new PayResult(null, buyerMessage(pi.path("last_payment_error")));
        }
        return new PayResult(null, null);
    }

    /** What Checkout's page tells the buyer: Stripe's API message is for developers when authentication fails. */
    private static String buyerMessage(com.fasterxml.jackson.databind.JsonNode error) {
        if (error.path("code").asText().equals("payment_intent_authentication_failure")) {
            return "We are unable to authenticate your payment method. Please choose a different payment method and try again.";
        }
        return error.path("message").asText();
    }

    private String successRedirect(ObjectNode s) {
        if (s.path("success_url").isNull()) {
            return null;
        }
        return s.path("success_url").asText().replace("{CHECKOUT_SESSION_ID}", s.path("id").asText());
    }
}
