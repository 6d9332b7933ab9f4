package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Customers: create, update, delete (leaving a deleted stub), list. */
final class Customers extends Resource {
    private static final String[] CUSTOMER_PARAMS = {"email", "name", "description", "phone", "metadata[*]",
        "address[*]", "shipping[*]", "shipping[address][*]", "payment_method", "invoice_settings[*]",
        "preferred_locales[]", "expand[]", "tax_exempt", "balance"};

    /** Deleted customers' ids: retrieving one still answers, with a deleted stub. */
    final Set<String> deleted = new HashSet<>();

    Customers(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        p.allow(CUSTOMER_PARAMS);
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
        if (p.has("invoice_settings")) {
            String dpm = Params.str(p.map("invoice_settings"), "default_payment_method");
            if (dpm != null) {
                ((ObjectNode) c.get("invoice_settings")).put("default_payment_method", dpm);
            }
        }
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
        p.allow(CUSTOMER_PARAMS);
        ObjectNode c = get("customer", id, "id");
        ObjectNode before = c.deepCopy();
        apply(c, p);
        updated("customer.updated", c, before);
        return c.deepCopy();
    }

    ObjectNode delete(String id) {
        ObjectNode c = get("customer", id, "id");
        engine.remove("customer", id);
        deleted.add(id);
        emit("customer.deleted", c, null);
        return deletedStub(id);
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "email", "created", "created[*]", "expand[]",
                "test_clock");
        String email = p.str("email");
        return list("customer", "/v1/customers", p, c -> email == null || email.equals(c.path("email").asText()));
    }
}
