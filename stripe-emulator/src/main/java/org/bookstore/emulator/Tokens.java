package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Card tokens, the legacy way card details reach the server: made from a test card number, or Stripe's test
 * tokens ({@code tok_visa}, {@code tok_chargeDeclined}, ...). A made token can be used once, as at Stripe.
 */
final class Tokens extends Resource {
    static final String[] CARD_FIELDS = {"name", "address_line1", "address_line2", "address_city", "address_state",
        "address_zip", "address_country"};

    Tokens(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        String[] allowed = new String[CARD_FIELDS.length + 5];
        for (int i = 0; i < CARD_FIELDS.length; i++) {
            allowed[i] = "card[" + CARD_FIELDS[i] + "]";
        }
        System.arraycopy(new String[] {"card[number]", "card[exp_month]", "card[exp_year]", "card[cvc]",
            "expand[]"}, 0, allowed, CARD_FIELDS.length, 5);
        p.allow(allowed);
        Map<String, Object> card = p.map("card");
        if (card == null) {
            throw StripeError.invalid("You must supply either a card, customer, PII data, bank account, or account "
                    + "legal entity to create a token.", null);
        }
        String number = Params.str(card, "number");
        if (number == null || number.isEmpty()) {
            throw StripeError.missing("card[number]");
        }
        number = number.replaceAll("[\\s-]", "");
        Long m = Params.lng(card, "exp_month", "card[exp_month]");
        Long y = Params.lng(card, "exp_year", "card[exp_year]");
        if (m == null) {
            throw StripeError.missing("card[exp_month]");
        }
        if (y == null) {
            throw StripeError.missing("card[exp_year]");
        }
        long year = y < 100 ? 2000 + y : y;
        String cvc = Params.str(card, "cvc");
        engine.paymentMethods.validateCard(number, m, year, cvc);
        ObjectNode c = engine.sources.newCard(number, m, year, cvc == null ? "unchecked" : "pass", card);
        return newToken(c).deepCopy();
    }

    private ObjectNode newToken(ObjectNode card) {
        ObjectNode t = Json.obj();
        t.put("id", Ids.id("tok"));
        t.put("object", "token");
        t.set("card", card);
        t.putNull("client_ip");
        t.put("created", now());
        t.put("livemode", false);
        t.put("type", "card");
        t.put("used", false);
        store(t);
        return t;
    }

    /** A test token ({@code tok_visa}) becomes a fresh token each time, as Stripe's test tokens do. */
    private ObjectNode fromTestToken(String id) {
        String number = Cards.ALIASES.get(id);
        if (number == null) {
            return null;
        }
        Map<String, Object> none = new LinkedHashMap<>();
        long year = LocalDate.ofEpochDay(now() / 86400).getYear() + 3;
        return newToken(engine.sources.newCard(number, 12, year, "pass", none));
    }

    ObjectNode retrieve(String id) {
        ObjectNode t = fromTestToken(id);
        return (t != null ? t : get("token", id, "token")).deepCopy();
    }

    /**
     * Uses up a token given as {@code param}: its card, now bound to nothing but the use about to be made of it.
     * A token used before gets Stripe's error.
     */
    ObjectNode consume(String id, String param) {
        ObjectNode t = fromTestToken(id);
        if (t == null) {
            t = get("token", id, param);
        }
        if (t.path("used").asBoolean()) {
            throw StripeError.invalid("token_already_used", "You cannot use a Stripe token more than once: " + id
                    + ".", param);
        }
        t.put("used", true);
        return engine.sources.cardOf(t);
    }
}
