package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** Shared Jackson helpers. */
final class Json {
    static final ObjectMapper M = new ObjectMapper();

    private Json() {}

    static ObjectNode obj() {
        return M.createObjectNode();
    }

    static ArrayNode arr() {
        return M.createArrayNode();
    }

    static String write(JsonNode n) {
        try {
            return M.writeValueAsString(n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String s) {
        try {
            return M.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode address() {
        ObjectNode a = obj();
        a.putNull("city");
        a.putNull("country");
        a.putNull("line1");
        a.putNull("line2");
        a.putNull("postal_code");
        a.putNull("state");
        return a;
    }

    /** The {@code shipping} parameter's fields, as PaymentIntents and Charges take them. */
    static final String[] SHIPPING_PARAMS = {"shipping[name]", "shipping[phone]", "shipping[carrier]",
        "shipping[tracking_number]", "shipping[address][city]", "shipping[address][country]",
        "shipping[address][line1]", "shipping[address][line2]", "shipping[address][postal_code]",
        "shipping[address][state]"};

    /** A {@code shipping} object from its parameter; an empty value clears it (null). */
    static com.fasterxml.jackson.databind.JsonNode shipping(Map<String, Object> m, String param) {
        if (m == null || m.isEmpty()) {
            return M.nullNode();
        }
        String name = Params.str(m, "name");
        if (name == null || name.isEmpty()) {
            throw StripeError.missing(param + "[name]");
        }
        Map<String, Object> a = Params.map(m, "address");
        if (a == null) {
            throw StripeError.missing(param + "[address]");
        }
        ObjectNode s = obj();
        ObjectNode addr = address();
        a.forEach((k, v) -> addr.put(k, Params.str(a, k)));
        s.set("address", addr);
        putNullable(s, "carrier", Params.str(m, "carrier"));
        s.put("name", name);
        putNullable(s, "phone", Params.str(m, "phone"));
        putNullable(s, "tracking_number", Params.str(m, "tracking_number"));
        return s;
    }

    /** Top-level fields of {@code after} that differ from {@code before}, with their old values. */
    static ObjectNode diff(ObjectNode before, ObjectNode after) {
        ObjectNode prev = obj();
        Iterator<Map.Entry<String, JsonNode>> it = before.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode now = after.get(e.getKey());
            if (now == null || !now.equals(e.getValue())) {
                if (e.getValue().isObject() && now != null && now.isObject()) {
                    ObjectNode sub = diff((ObjectNode) e.getValue(), (ObjectNode) now);
                    // keys added in the new object show as null in previous_attributes
                    Iterator<String> names = now.fieldNames();
                    while (names.hasNext()) {
                        String k = names.next();
                        if (!e.getValue().has(k)) {
                            sub.putNull(k);
                        }
                    }
                    prev.set(e.getKey(), sub);
                } else {
                    prev.set(e.getKey(), e.getValue().deepCopy());
                }
            }
        }
        return prev;
    }

    /** Sets {@code k} to {@code v}, or to JSON null when {@code v} is null. */
    static void putNullable(ObjectNode o, String k, String v) {
        if (v == null) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    /** What Stripe returns for a deleted object. */
    static ObjectNode deleted(String id, String object) {
        ObjectNode d = obj();
        d.put("id", id);
        d.put("object", object);
        d.put("deleted", true);
        return d;
    }
}
