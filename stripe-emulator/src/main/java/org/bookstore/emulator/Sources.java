package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cards, the legacy source objects: made by tokens, saved on customers ({@code /v1/customers/{id}/sources},
 * {@code source} and {@code default_source} on the customer) and charged by the Charges API.
 */
final class Sources extends Resource {
    Sources(Engine engine) {
        super(engine);
    }

    /** The brand as a legacy card object spells it ({@code Visa}, {@code MasterCard}, ...). */
    static String displayBrand(String brand) {
        switch (brand) {
            case "visa":
                return "Visa";
            case "mastercard":
                return "MasterCard";
            case "amex":
                return "American Express";
            case "discover":
                return "Discover";
            case "diners":
                return "Diners Club";
            case "jcb":
                return "JCB";
            case "unionpay":
                return "UnionPay";
            default:
                return "Unknown";
        }
    }

    /** Stores a card, bound to no customer yet; {@code number} decides its test behaviour. */
    ObjectNode newCard(String number, long expMonth, long expYear, String cvcCheck, Map<String, Object> details) {
        ObjectNode c = Json.obj();
        String id = Ids.id("card");
        c.put("id", id);
        c.put("object", "card");
        for (String f : new String[] {"address_city", "address_country", "address_line1"}) {
            Json.putNullable(c, f, Params.str(details, f));
        }
        c.putNull("address_line1_check");
        Json.putNullable(c, "address_line2", Params.str(details, "address_line2"));
        Json.putNullable(c, "address_state", Params.str(details, "address_state"));
        Json.putNullable(c, "address_zip", Params.str(details, "address_zip"));
        c.putNull("address_zip_check");
        if (c.path("address_line1").isTextual()) {
            c.put("address_line1_check", "pass");
        }
        if (c.path("address_zip").isTextual()) {
            c.put("address_zip_check", "pass");
        }
        c.put("brand", displayBrand(Cards.brand(number)));
        c.put("country", "US");
        c.putNull("customer");
        c.put("cvc_check", cvcCheck);
        c.putNull("dynamic_last4");
        c.put("exp_month", expMonth);
        c.put("exp_year", expYear);
        c.put("fingerprint", Cards.fingerprint(number));
        c.put("funding", Cards.funding(number));
        c.put("last4", number.substring(number.length() - 4));
        c.putObject("metadata");
        Json.putNullable(c, "name", Params.str(details, "name"));
        c.putNull("regulated_status");
        c.putNull("tokenization_method");
        store(c);
        engine.paymentMethods.numbers.put(id, number);
        return c;
    }

    /** The stored card a token was made with. */
    ObjectNode cardOf(ObjectNode token) {
        return get("card", token.path("card").path("id").asText(), "source");
    }

    /**
     * The payment-method view of a card, which the charge's {@code payment_method_details} and
     * {@code billing_details} are made from.
     */
    static ObjectNode asPaymentMethod(ObjectNode card, String number) {
        ObjectNode pm = Json.obj();
        pm.put("id", card.path("id").asText());
        ObjectNode bd = pm.putObject("billing_details");
        ObjectNode a = Json.address();
        a.set("city", card.get("address_city"));
        a.set("country", card.get("address_country"));
        a.set("line1", card.get("address_line1"));
        a.set("line2", card.get("address_line2"));
        a.set("postal_code", card.get("address_zip"));
        a.set("state", card.get("address_state"));
        bd.set("address", a);
        bd.putNull("email");
        bd.set("name", card.get("name"));
        bd.putNull("phone");
        bd.putNull("tax_id");
        ObjectNode c = pm.putObject("card");
        c.put("brand", Cards.brand(number));
        c.set("country", card.get("country"));
        c.set("exp_month", card.get("exp_month"));
        c.set("exp_year", card.get("exp_year"));
        c.set("fingerprint", card.get("fingerprint"));
        c.set("funding", card.get("funding"));
        c.set("last4", card.get("last4"));
        pm.put("type", "card");
        return pm;
    }

    /**
     * Saves the card that {@code source} (a token id) names on the customer; it becomes the default source when
     * the customer has none, or always with {@code makeDefault}.
     */
    ObjectNode attach(ObjectNode customer, String source, String param, boolean makeDefault) {
        if (source == null || source.isEmpty()) {
            throw StripeError.missing(param);
        }
        if (!source.startsWith("tok_")) {
            throw StripeError.invalid("resource_missing", "No such token: '" + source + "'", param);
        }
        ObjectNode card = engine.tokens.consume(source, param);
        card.put("customer", customer.path("id").asText());
        if (makeDefault || customer.path("default_source").isNull()) {
            customer.put("default_source", card.path("id").asText());
        }
        emit("customer.source.created", card, null);
        return card;
    }

    /** A card saved on the customer, or Stripe's "No such source". */
    ObjectNode ofCustomer(String customerId, String cardId, String param) {
        ObjectNode c = table("card").get(cardId);
        if (c == null || !customerId.equals(c.path("customer").asText())) {
            throw StripeError.notFound("source", cardId, param);
        }
        return c;
    }

    // ------------------------------------------------------------------ /v1/customers/{id}/sources

    ObjectNode create(String customerId, Params p) {
        p.allow("source", "metadata[*]", "expand[]");
        ObjectNode cus = get("customer", customerId, "customer");
        ObjectNode before = cus.deepCopy();
        ObjectNode card = attach(cus, p.req("source"), "source", false);
        Metadata.merge(card, p.stringMap("metadata"));
        updated("customer.updated", cus, before);
        return card.deepCopy();
    }

    ObjectNode retrieve(String customerId, String cardId, Params p) {
        p.allow("expand[]");
        get("customer", customerId, "customer");
        return ofCustomer(customerId, cardId, "id").deepCopy();
    }

    ObjectNode update(String customerId, String cardId, Params p) {
        String[] allowed = new String[Tokens.CARD_FIELDS.length + 4];
        System.arraycopy(Tokens.CARD_FIELDS, 0, allowed, 0, Tokens.CARD_FIELDS.length);
        System.arraycopy(new String[] {"exp_month", "exp_year", "metadata[*]", "expand[]"}, 0, allowed,
                Tokens.CARD_FIELDS.length, 4);
        p.allow(allowed);
        get("customer", customerId, "customer");
        ObjectNode c = ofCustomer(customerId, cardId, "id");
        ObjectNode before = c.deepCopy();
        for (String f : Tokens.CARD_FIELDS) {
            if (p.has(f)) {
                String v = p.str(f);
                Json.putNullable(c, f, v == null || v.isEmpty() ? null : v);
            }
        }
        Long m = p.lng("exp_month");
        if (m != null) {
            if (m < 1 || m > 12) {
                throw new StripeError(402, "card_error", "invalid_expiry_month", null,
                        "Your card's expiration month is invalid.", "exp_month");
            }
            c.put("exp_month", m);
        }
        Long y = p.lng("exp_year");
        if (y != null) {
            c.put("exp_year", y < 100 ? 2000 + y : y);
        }
        Metadata.merge(c, p.stringMap("metadata"));
        updated("customer.source.updated", c, before);
        return c.deepCopy();
    }

    ObjectNode delete(String customerId, String cardId, Params p) {
        p.allow("expand[]");
        ObjectNode cus = get("customer", customerId, "customer");
        ObjectNode c = ofCustomer(customerId, cardId, "id");
        ObjectNode before = cus.deepCopy();
        detach(cus, c);
        updated("customer.updated", cus, before);
        ObjectNode gone = c.deepCopy();
        gone.put("deleted", true);
        return gone;
    }

    /** The card leaves the customer; the default goes to the newest remaining card, if any. */
    void detach(ObjectNode cus, ObjectNode card) {
        engine.remove("card", card.path("id").asText());
        emit("customer.source.deleted", card, null);
        if (card.path("id").asText().equals(cus.path("default_source").asText())) {
            List<ObjectNode> left = cardsOf(cus.path("id").asText());
            if (left.isEmpty()) {
                cus.putNull("default_source");
            } else {
                cus.put("default_source", left.get(0).path("id").asText());
            }
        }
    }

    /** The customer's cards, newest first. */
    List<ObjectNode> cardsOf(String customerId) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode c : table("card").values()) {
            if (customerId.equals(c.path("customer").asText())) {
                out.add(c);
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    ObjectNode list(String customerId, Params p) {
        p.allow("limit", "starting_after", "ending_before", "object", "expand[]");
        get("customer", customerId, "customer");
        String object = p.str("object");
        if (object != null) {
            Params.checkEnum(object, "object", "card", "bank_account", "source");
        }
        return list("card", "/v1/customers/" + customerId + "/sources", p,
                o -> customerId.equals(o.path("customer").asText()) && (object == null || object.equals("card")));
    }
}
