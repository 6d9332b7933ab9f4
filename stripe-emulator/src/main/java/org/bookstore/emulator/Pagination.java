package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Stripe's list objects: {@code limit}, cursors {@code starting_after} / {@code ending_before}, {@code created}. */
final class Pagination {
    private Pagination() {}

    static boolean createdMatches(ObjectNode o, Params p) {
        if (!p.has("created")) {
            return true;
        }
        long c = o.path("created").asLong();
        Object v = p.root.get("created");
        if (v instanceof String) {
            return c == Params.lng(p.root, "created", "created");
        }
        Map<String, Object> m = p.map("created");
        Long gt = Params.lng(m, "gt", "created[gt]");
        Long gte = Params.lng(m, "gte", "created[gte]");
        Long lt = Params.lng(m, "lt", "created[lt]");
        Long lte = Params.lng(m, "lte", "created[lte]");
        return (gt == null || c > gt) && (gte == null || c >= gte) && (lt == null || c < lt)
                && (lte == null || c <= lte);
    }

    /** The {@code limit} parameter, 10 unless given. */
    static int limit(Params p) {
        Long limitL = p.lng("limit");
        int limit = limitL == null ? 10 : limitL.intValue();
        if (limit < 1 || limit > 100) {
            throw StripeError.invalid("This value must be greater than or equal to 1 and less than or equal to 100.",
                    "limit");
        }
        return limit;
    }

    static ObjectNode page(List<ObjectNode> items, String url, Params p) {
        int limit = limit(p);
        String after = p.str("starting_after");
        String before = p.str("ending_before");
        int from = 0;
        int to;
        boolean more;
        if (after != null && !after.isEmpty()) {
            int idx = indexOf(items, after, "starting_after");
            from = idx + 1;
            to = Math.min(items.size(), from + limit);
            more = to < items.size();
        } else if (before != null && !before.isEmpty()) {
            int idx = indexOf(items, before, "ending_before");
            to = idx;
            from = Math.max(0, idx - limit);
            more = from > 0;
        } else {
            to = Math.min(items.size(), limit);
            more = to < items.size();
        }
        ObjectNode list = Json.obj();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (int i = from; i < to; i++) {
            data.add(items.get(i).deepCopy());
        }
        list.put("has_more", more);
        list.put("url", url);
        return list;
    }

    /** The first page of up to 100, as Stripe embeds an expanded list. */
    static ObjectNode firstHundred(List<ObjectNode> items, String url) {
        Params p = Params.empty();
        p.root.put("limit", "100");
        return page(items, url, p);
    }

    private static int indexOf(List<ObjectNode> items, String id, String param) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).path("id").asText().equals(id)) {
                return i;
            }
        }
        throw StripeError.invalid("resource_missing", "No such object: '" + id + "'", param);
    }
}
