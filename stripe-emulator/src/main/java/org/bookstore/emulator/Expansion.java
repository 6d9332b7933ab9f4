package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The {@code expand[]} parameter: ids replaced by their objects, and the lists Stripe expands. */
final class Expansion extends Resource {
    Expansion(Engine engine) {
        super(engine);
    }

    /** Stripe expands at most four levels; a list's {@code data.} counts as one. */
    static final int MAX_LEVELS = 4;

    JsonNode expand(JsonNode result, List<String> paths) {
        for (String path : paths) {
            String[] segs = path.split("\\.");
            if (segs.length > MAX_LEVELS) {
                // every level copies an object into its parent and recurses: deeper paths only cost memory and stack
                throw StripeError.invalid("property_expansion_max_depth", "You cannot expand more than "
                        + MAX_LEVELS + " levels of a property. Property: " + path, "expand");
            }
            expandPath(result, segs, 0, path);
        }
        return result;
    }

    private void expandPath(JsonNode node, String[] segs, int i, String full) {
        if (i >= segs.length || node == null || !node.isObject()) {
            return;
        }
        ObjectNode o = (ObjectNode) node;
        if (o.path("object").asText().equals("list") && segs[i].equals("data")) {
            for (JsonNode el : o.path("data")) {
                expandPath(el, segs, i + 1, full);
            }
            return;
        }
        String field = segs[i];
        JsonNode v = o.get(field);
        if (field.equals("line_items") && o.path("object").asText().equals("checkout.session")) {
            String id = o.path("id").asText();
            v = Pagination.firstHundred(engine.checkoutSessions.lineItemList(id),
                    "/v1/checkout/sessions/" + id + "/line_items");
            o.set(field, v);
        } else if (field.equals("refunds") && o.path("object").asText().equals("charge")) {
            String chId = o.path("id").asText();
            List<ObjectNode> l = new ArrayList<>();
            for (ObjectNode r : table("refund").values()) {
                if (r.path("charge").asText().equals(chId)) {
                    l.add(r);
                }
            }
            java.util.Collections.reverse(l);
            v = Pagination.firstHundred(l, "/v1/charges/" + chId + "/refunds");
            o.set(field, v);
        } else if (field.equals("sources") && o.path("object").asText().equals("customer")) {
            // since API version 2020-08-27 a customer's sources are only included when expanded
            String cusId = o.path("id").asText();
            v = Pagination.firstHundred(engine.sources.cardsOf(cusId), "/v1/customers/" + cusId + "/sources");
            o.set(field, v);
        } else if (v != null && v.isTextual()) {
            ObjectNode target = engine.find(v.asText());
            if (target == null && engine.customers.deleted.contains(v.asText())) {
                target = engine.customers.deletedStub(v.asText());
            }
            if (target == null) {
                throw StripeError.invalid("This property cannot be expanded (" + field + ").", "expand");
            }
            v = target.deepCopy();
            o.set(field, v);
        } else if (v == null || !(v.isNull() || v.isObject())) {
            throw StripeError.invalid("This property cannot be expanded (" + field + ").", "expand");
        }
        expandPath(v, segs, i + 1, full);
    }
}
