package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Customers: create, update, delete (leaving a deleted stub), list. */
final class Customers extends Resource {
    private static final String[] CUSTOMER_PARAMS = {"email", "name", "description", "phone", "metadata[*]",
        "address[city]", "address[country]", "address[line1]", "address[line2]", "address[postal_code]",
        "address[state]", "shipping[name]", "shipping[phone]", "shipping[address][city]",
        "shipping[address][country]", "shipping[address][line1]", "shipping[address][line2]",
        "shipping[address][postal_code]", "shipping[address][state]", "payment_method",
        "invoice_settings[default_payment_method]", "preferred_locales[]", "expand[]", "tax_exempt", "balance",
        "source"};

    /** Deleted customers' ids: retrieving one still answers, with a deleted stub. */
    final Set<String> deleted = new HashSet<>();

    Customers(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        p.allow(CUSTOMER_PARAMS);
        if (p.has("default_source")) {
            throw StripeError.unknown("default_source");
        }
        ObjectNode c = Json.obj();
        c.put("id", Ids.id("cus").substring(0, 18));
        c.put("object", "customer");
        c.set("address", null);
        c.put("balance", 0);
        c.put("created", now());
        c.putNull("currency");
        c.putNull("default_source");
        c.put("delinquent", false);
        c.putNull("description");
        c.putNull("discount");
        c.putNull("email");
        c.put("invoice_prefix", Ids.random(8).toUpperCase());
        ObjectNode inv = c.putObject("invoice_settings");
        inv.putNull("custom_fields");
        inv.putNull("default_payment_method");
        inv.putNull("footer");
        inv.putNull("rendering_options");
        c.put("livemode", false);
        c.putObject("metadata");
        c.putNull("name");
        c.put("next_invoice_sequence", 1);
        c.putNull("phone");
        c.putArray("preferred_locales");
        c.putNull("shipping");
        c.put("tax_exempt", "none");
        c.putNull("test_clock");
        apply(c, p);
        store(c);
        String pm = p.str("payment_method");
        if (pm != null) {
            engine.paymentMethods.attach(engine.paymentMethods.resolve(pm, "payment_method"), c.path("id").asText());
        }
        try {
            defaultPaymentMethod(c, p);
            if (p.has("source")) {
                engine.sources.attach(c, p.str("source"), "source", true);
            }
        } catch (StripeError e) {
            engine.remove("customer", c.path("id").asText()); // as at Stripe, a refused create leaves nothing
            throw e;
        }
        emit("customer.created", c, null);
        return c.deepCopy();
    }

    /** Since API version 2018-10-31 a customer's description is limited to 350 characters. */
    static final int MAX_DESCRIPTION = 350;

    private void apply(ObjectNode c, Params p) {
        Params.maxLength(p.str("description"), MAX_DESCRIPTION, "description");
        for (String f : new String[] {"email", "name", "description", "phone"}) {
            if (p.has(f)) {
                String v = p.str(f);
                if (v.isEmpty()) {
                    c.putNull(f);
                } else {
                    c.put(f, v);
                }
            }
        }
        if (p.has("email") && p.str("email") != null && !p.str("email").isEmpty()
                && !p.str("email").contains("@")) {
            throw StripeError.invalid("email_invalid", "Invalid email address: " + p.str("email"), "email");
        }
        Metadata.merge(c, p.stringMap("metadata"));
        if (p.has("address")) {
            Map<String, Object> a = p.map("address");
            if (a == null || a.isEmpty()) {
                c.putNull("address");
            } else {
                ObjectNode addr = Json.address();
                a.forEach((k, v) -> addr.put(k, String.valueOf(v)));
                c.set("address", addr);
            }
        }
        if (p.has("shipping")) {
            Map<String, Object> sh = p.map("shipping");
            c.set("shipping", Json.shipping(sh, "shipping"));
        }
        if (p.has("preferred_locales")) {
            com.fasterxml.jackson.databind.node.ArrayNode l = c.putArray("preferred_locales");
            p.strings("preferred_locales").forEach(l::add);
        }
        if (p.has("tax_exempt")) {
            Params.checkEnum(p.str("tax_exempt"), "tax_exempt", "exempt", "none", "reverse");
            c.put("tax_exempt", p.str("tax_exempt"));
        }
        if (p.has("balance")) {
            c.put("balance", p.reqLong("balance"));
        }
    }

    /**
     * {@code invoice_settings[default_payment_method]}: a payment method that exists and is attached to the
     * customer, or empty to clear it.
     */
    private void defaultPaymentMethod(ObjectNode c, Params p) {
        if (!p.has("invoice_settings")) {
            return;
        }
        String dpm = Params.str(p.map("invoice_settings"), "default_payment_method");
        String param = "invoice_settings[default_payment_method]";
        ObjectNode settings = (ObjectNode) c.get("invoice_settings");
        if (dpm == null) {
            return;
        }
        if (dpm.isEmpty()) {
            settings.putNull("default_payment_method");
            return;
        }
        ObjectNode pm = table("payment_method").get(dpm);
        if (pm == null) {
            throw StripeError.invalid("resource_missing", "No such PaymentMethod: '" + dpm + "'", param);
        }
        if (!c.path("id").asText().equals(pm.path("customer").asText())) {
            throw StripeError.invalid("resource_missing", "The customer does not have a payment method with the ID "
                    + dpm + ". The payment method must be attached to the customer.", param);
        }
        settings.put("default_payment_method", dpm);
    }

    static ObjectNode deletedStub(String id) {
        return Json.deleted(id, "customer");
    }

    ObjectNode retrieve(String id) {
        if (deleted.contains(id)) {
            return deletedStub(id);
        }
        return get("customer", id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        // payment_method is create's only: an update attaches nothing
        String[] allowed = java.util.Arrays.stream(CUSTOMER_PARAMS).filter(x -> !x.equals("payment_method"))
                .toArray(String[]::new);
        allowed = java.util.Arrays.copyOf(allowed, allowed.length + 1);
        allowed[allowed.length - 1] = "default_source";
        p.allow(allowed);
        ObjectNode stored = get("customer", id, "id");
        ObjectNode before = stored.deepCopy();
        // changes go to a copy first: a refused update changes nothing
        ObjectNode c = stored.deepCopy();
        apply(c, p);
        defaultPaymentMethod(c, p);
        if (p.has("source")) {
            // as at Stripe: the new card becomes the default and the old default card is deleted
            ObjectNode old = c.path("default_source").isTextual() ? table("card").get(c.path("default_source")
                    .asText()) : null;
            ObjectNode card = engine.sources.attach(c, p.str("source"), "source", true);
            if (old != null) {
                engine.sources.detach(c, old);
                c.put("default_source", card.path("id").asText());
            }
        }
        if (p.has("default_source")) {
            String ds = p.str("default_source");
            if (ds == null || ds.isEmpty()) {
                c.putNull("default_source");
            } else {
                c.put("default_source", engine.sources.ofCustomer(id, ds, "default_source").path("id").asText());
            }
        }
        stored.setAll(c);
        c = stored;
        updated("customer.updated", c, before);
        return c.deepCopy();
    }

    ObjectNode delete(String id) {
        ObjectNode c = get("customer", id, "id");
        for (ObjectNode card : engine.sources.cardsOf(id)) {
            engine.remove("card", card.path("id").asText());
        }
        engine.remove("customer", id);
        deleted.add(id);
        emit("customer.deleted", c, null);
        return deletedStub(id);
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "email", "created", "created[*]", "expand[]");
        String email = p.str("email");
        return list("customer", "/v1/customers", p, c -> email == null || email.equals(c.path("email").asText()));
    }
}
