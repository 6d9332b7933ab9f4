package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Payment methods (cards and SEPA Direct Debit), test card ids, attach and detach. */
final class PaymentMethods extends Resource {
    /** The card number (or {@code iban:} and the IBAN) behind each payment method: it decides the test behaviour. */
    final Map<String, String> numbers = new HashMap<>();

    PaymentMethods(Engine engine) {
        super(engine);
    }

    /** The number behind a payment method, or {@code fallback} for one this emulator did not create. */
    String numberOf(String pmId, String fallback) {
        return numbers.getOrDefault(pmId, fallback);
    }

    ObjectNode create(Params p) {
        p.allow("type", "card[number]", "card[exp_month]", "card[exp_year]", "card[cvc]", "card[token]",
                "sepa_debit[iban]", "billing_details[email]", "billing_details[name]", "billing_details[phone]",
                "billing_details[address][*]",
                "metadata[*]", "expand[]", "allow_redisplay");
        String type = p.req("type");
        ObjectNode pm;
        if (type.equals("sepa_debit")) {
            pm = newSepaDebit(p.map("sepa_debit"), "sepa_debit", p.map("billing_details"), "billing_details");
        } else if (type.equals("card")) {
            pm = newCard(p.map("card"), "card", p.map("billing_details"));
        } else {
            throw StripeError.invalid("The payment method type `" + type + "` is not supported by this emulator.",
                    "type");
        }
        Metadata.merge(pm, p.stringMap("metadata"));
        redisplay(pm, p);
        return pm.deepCopy();
    }

    private static void redisplay(ObjectNode pm, Params p) {
        if (p.has("allow_redisplay")) {
            Params.checkEnum(p.str("allow_redisplay"), "allow_redisplay", "always", "limited", "unspecified");
            pm.put("allow_redisplay", p.str("allow_redisplay"));
        }
    }

    ObjectNode newCard(Map<String, Object> card, String prefix, Map<String, Object> billing) {
        if (card == null) {
            throw StripeError.missing(prefix);
        }
        String number;
        long expMonth;
        long expYear;
        String token = Params.str(card, "token");
        if (token != null) {
            number = Cards.ALIASES.get(token);
            if (number == null) {
                // a token made by POST /v1/tokens, used up here
                ObjectNode tokCard = engine.tokens.consume(token, prefix + "[token]");
                number = numbers.get(tokCard.path("id").asText());
            }
            expMonth = 12;
            expYear = LocalDate.now(ZoneOffset.UTC).getYear() + 3;
        } else {
            number = Params.str(card, "number");
            if (number == null || number.isEmpty()) {
                throw StripeError.missing(prefix + "[number]");
            }
            number = number.replaceAll("[\\s-]", "");
            Long m = Params.lng(card, "exp_month", prefix + "[exp_month]");
            Long y = Params.lng(card, "exp_year", prefix + "[exp_year]");
            if (m == null) {
                throw StripeError.missing(prefix + "[exp_month]");
            }
            if (y == null) {
                throw StripeError.missing(prefix + "[exp_year]");
            }
            expMonth = m;
            expYear = y < 100 ? 2000 + y : y;
            String cvc = Params.str(card, "cvc");
            validateCard(number, expMonth, expYear, cvc);
        }
        ObjectNode bd = billingDetails(null, null);
        if (billing != null) {
            for (String f : new String[] {"email", "name", "phone"}) {
                String v = Params.str(billing, f);
                if (v != null && !v.isEmpty()) {
                    bd.put(f, v);
                }
            }
            Map<String, Object> a = Params.map(billing, "address");
            if (a != null) {
                a.forEach((k, v) -> ((ObjectNode) bd.get("address")).put(k, String.valueOf(v)));
            }
        }
        ObjectNode c = Json.obj();
        String brand = Cards.brand(number);
        c.put("brand", brand);
        ObjectNode checks = c.putObject("checks");
        checks.putNull("address_line1_check");
        checks.putNull("address_postal_code_check");
        c.put("cvc_check", (String) null);
        checks.put("cvc_check", Params.str(card, "cvc") == null ? "unavailable" : "unchecked");
        c.remove("cvc_check");
        c.put("country", "US");
        c.put("display_brand", brand);
        c.put("exp_month", expMonth);
        c.put("exp_year", expYear);
        c.put("fingerprint", Cards.fingerprint(number));
        c.put("funding", Cards.funding(number));
        c.putNull("generated_from");
        c.put("last4", number.substring(number.length() - 4));
        ObjectNode nets = c.putObject("networks");
        nets.putArray("available").add(brand);
        nets.putNull("preferred");
        c.put("regulated_status", "unregulated");
        c.putObject("three_d_secure_usage").put("supported", true);
        c.putNull("wallet");
        return newPaymentMethod("card", bd, c, number);
    }

    private static ObjectNode billingDetails(String email, String name) {
        ObjectNode bd = Json.obj();
        bd.set("address", Json.address());
        Json.putNullable(bd, "email", email);
        Json.putNullable(bd, "name", name);
        bd.putNull("phone");
        bd.putNull("tax_id");
        return bd;
    }

    /**
     * Stores a payment method of {@code type} ({@code card} or {@code sepa_debit}, whose details sit in Stripe's
     * alphabetical field order); {@code number}, the card number or IBAN, decides its test behaviour.
     */
    private ObjectNode newPaymentMethod(String type, ObjectNode billingDetails, ObjectNode details, String number) {
        ObjectNode pm = Json.obj();
        pm.put("id", Ids.id("pm"));
        pm.put("object", "payment_method");
        pm.put("allow_redisplay", "unspecified");
        pm.set("billing_details", billingDetails);
        if (type.equals("card")) {
            pm.set("card", details);
        }
        pm.put("created", now());
        pm.putNull("customer");
        pm.putNull("customer_account");
        pm.put("livemode", false);
        pm.putObject("metadata");
        if (type.equals("sepa_debit")) {
            pm.set("sepa_debit", details);
        }
        pm.put("type", type);
        store(pm);
        numbers.put(pm.path("id").asText(), number);
        return pm;
    }

    void validateCard(String number, long expMonth, long expYear, String cvc) {
        if (!number.matches("\\d{12,19}") || !Cards.luhn(number)) {
            throw new StripeError(402, "card_error", "incorrect_number", null, "Your card number is incorrect.",
                    "number");
        }
        if (expMonth < 1 || expMonth > 12) {
            throw new StripeError(402, "card_error", "invalid_expiry_month", null,
                    "Your card's expiration month is invalid.", "exp_month");
        }
        LocalDate today = LocalDate.ofEpochDay(now() / 86400);
        if (expYear > today.getYear() + 50) {
            throw new StripeError(402, "card_error", "invalid_expiry_year", null,
                    "Your card's expiration year is invalid.", "exp_year");
        }
        if (expYear < today.getYear() || (expYear == today.getYear() && expMonth < today.getMonthValue())) {
            throw new StripeError(402, "card_error", "expired_card", null, "Your card has expired.", "exp_year")
                    .with("decline_code", Json.M.getNodeFactory().textNode("expired_card"));
        }
        if (cvc != null && !cvc.isEmpty() && !cvc.matches("\\d{3,4}")) {
            throw new StripeError(402, "card_error", "invalid_cvc", null, "Your card's security code is invalid.",
                    "cvc");
        }
    }

    /** A stored payment method, or a fresh one for a {@code pm_card_*} / {@code tok_*} test id. */
    ObjectNode resolve(String id, String param) {
        String number = Cards.ALIASES.get(id);
        if (number != null) {
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("number", number);
            card.put("exp_month", "12");
            card.put("exp_year", Integer.toString(LocalDate.ofEpochDay(now() / 86400).getYear() + 3));
            ObjectNode pm = newCard(card, "card", null);
            ((ObjectNode) pm.get("card").get("checks")).put("cvc_check", "pass");
            return pm;
        }
        return get("payment_method", id, param);
    }

    ObjectNode fromData(Map<String, Object> data) {
        String type = Params.str(data, "type");
        if (type == null) {
            throw StripeError.missing("payment_method_data[type]");
        }
        if (type.equals("sepa_debit")) {
            return newSepaDebit(Params.map(data, "sepa_debit"), "payment_method_data[sepa_debit]",
                    Params.map(data, "billing_details"), "payment_method_data[billing_details]");
        }
        if (!type.equals("card")) {
            throw StripeError.invalid("The payment method type `" + type + "` is not supported by this emulator.",
                    "payment_method_data[type]");
        }
        return newCard(Params.map(data, "card"), "payment_method_data[card]",
                Params.map(data, "billing_details"));
    }

    static boolean validIban(String iban) {
        if (!iban.matches("[A-Z]{2}\\d{2}[A-Z0-9]{10,30}")) {
            return false;
        }
        String r = iban.substring(4) + iban.substring(0, 4);
        int mod = 0;
        for (char ch : r.toCharArray()) {
            int v = Character.isDigit(ch) ? ch - '0' : ch - 'A' + 10;
            mod = v >= 10 ? (mod * 100 + v) % 97 : (mod * 10 + v) % 97;
        }
        return mod == 1;
    }

    ObjectNode newSepaDebit(Map<String, Object> sepa, String prefix, Map<String, Object> billing,
            String billingPrefix) {
        String iban = Params.str(sepa, "iban");
        if (iban == null || iban.isEmpty()) {
            throw StripeError.missing(prefix + "[iban]");
        }
        iban = iban.replaceAll("\\s", "").toUpperCase();
        if (!validIban(iban)) {
            throw StripeError.invalid("invalid_bank_account_iban", "The IBAN you entered is invalid.",
                    prefix + "[iban]");
        }
        String name = Params.str(billing, "name");
        String email = Params.str(billing, "email");
        if (name == null || name.isEmpty()) {
            throw StripeError.missing(billingPrefix + "[name]");
        }
        if (email == null || email.isEmpty()) {
            throw StripeError.missing(billingPrefix + "[email]");
        }
        ObjectNode sd = Json.obj();
        sd.put("bank_code", iban.length() >= 12 ? iban.substring(4, 12) : "");
        sd.put("branch_code", "");
        sd.put("country", iban.substring(0, 2));
        sd.put("fingerprint", Cards.fingerprint(iban));
        ObjectNode gf = sd.putObject("generated_from");
        gf.putNull("charge");
        gf.putNull("setup_attempt");
        sd.put("last4", iban.substring(iban.length() - 4));
        return newPaymentMethod("sepa_debit", billingDetails(email, name), sd, "iban:" + iban);
    }

    ObjectNode retrieve(String id) {
        return resolve(id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow("billing_details[email]", "billing_details[name]", "billing_details[phone]",
                "billing_details[address][*]", "metadata[*]", "card[exp_month]", "card[exp_year]", "expand[]",
                "allow_redisplay");
        ObjectNode pm = get("payment_method", id, "id");
        ObjectNode before = pm.deepCopy();
        Metadata.merge(pm, p.stringMap("metadata"));
        Map<String, Object> card = p.map("card");
        if (card != null) {
            Long m = Params.lng(card, "exp_month", "card[exp_month]");
            Long y = Params.lng(card, "exp_year", "card[exp_year]");
            if (m != null) {
                ((ObjectNode) pm.get("card")).put("exp_month", m);
            }
            if (y != null) {
                ((ObjectNode) pm.get("card")).put("exp_year", y);
            }
        }
        Map<String, Object> bd = p.map("billing_details");
        if (bd != null) {
            for (String f : new String[] {"email", "name", "phone"}) {
                if (bd.containsKey(f)) {
                    ((ObjectNode) pm.get("billing_details")).put(f, Params.str(bd, f));
                }
            }
            Map<String, Object> a = Params.map(bd, "address");
            if (a != null) {
                ObjectNode addr = (ObjectNode) pm.get("billing_details").get("address");
                a.forEach((k, v) -> Json.putNullable(addr, k, Params.str(a, k)));
            }
        }
        redisplay(pm, p);
        updated("payment_method.updated", pm, before);
        return pm.deepCopy();
    }

    ObjectNode attach(String id, Params p) {
        p.allow("customer", "expand[]");
        ObjectNode pm = resolve(id, "id");
        String customer = p.req("customer");
        get("customer", customer, "customer");
        if (!pm.path("customer").isNull() && !pm.path("customer").asText().equals(customer)) {
            throw StripeError.invalid("This PaymentMethod is already attached to a different customer.", null);
        }
        attach(pm, customer);
        return pm.deepCopy();
    }

    void attach(ObjectNode pm, String customer) {
        if (pm.path("customer").asText().equals(customer)) {
            return;
        }
        pm.put("customer", customer);
        emit("payment_method.attached", pm, null);
    }

    ObjectNode detach(String id, Params p) {
        p.allow("expand[]");
        ObjectNode pm = get("payment_method", id, "id");
        if (pm.path("customer").isNull()) {
            throw StripeError.invalid("The payment method you provided is not attached to a customer so detachment "
                    + "is impossible.", null);
        }
        ObjectNode before = pm.deepCopy();
        pm.putNull("customer");
        emit("payment_method.detached", pm, Json.diff(before, pm));
        return pm.deepCopy();
    }

    ObjectNode list(Params p, String customerFromPath) {
        p.allow("limit", "starting_after", "ending_before", "customer", "type", "expand[]");
        String customer = customerFromPath != null ? customerFromPath : p.str("customer");
        if (customer != null) {
            get("customer", customer, "customer");
        }
        String type = p.str("type");
        String url = customerFromPath != null ? "/v1/customers/" + customerFromPath + "/payment_methods"
                : "/v1/payment_methods";
        return list("payment_method", url, p, o -> (customer == null || customer.equals(o.path("customer").asText()))
                && (type == null || type.equals(o.path("type").asText())));
    }
}
