package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Stripe's search query language, the common subset: {@code field:'v'}, {@code metadata['k']:'v'}, AND/OR. */
final class Search extends Resource {
    // possessive quantifiers in the quoted value: with backtracking, Java's regex recurses once per character and a
    // 2,000-character value overflowed the stack
    private static final java.util.regex.Pattern CLAUSE = java.util.regex.Pattern.compile(
            "\\s*(-?)([a-z_]+(?:\\['[^']*'\\])?)\\s*(:|~|>=|<=|>|<)\\s*(?:'((?:[^'\\\\]++|\\\\.)*+)'|\"([^\"]*)\"|([^\\s]+))\\s*");

    /** The fields Stripe lets each resource be searched by (its "Supported query fields" lists). */
    private static final java.util.Map<String, java.util.Set<String>> FIELDS = java.util.Map.of(
            "customer", java.util.Set.of("created", "email", "metadata", "name", "phone"),
            "charge", java.util.Set.of("amount", "created", "currency", "customer", "disputed", "metadata",
                    "payment_method_details", "refunded", "status"),
            "payment_intent", java.util.Set.of("amount", "created", "currency", "customer", "metadata", "status"),
            "product", java.util.Set.of("active", "created", "description", "metadata", "name", "shippable", "url"),
            "price", java.util.Set.of("active", "currency", "lookup_key", "metadata", "product", "type"));

    Search(Engine engine) {
        super(engine);
    }

    ObjectNode search(String tableName, String url, Params p) {
        p.allow("query", "limit", "page", "expand[]");
        String query = p.req("query");
        String[] ors = query.split("\\s+OR\\s+");
        List<List<String[]>> disjuncts = new ArrayList<>();
        for (String or : ors) {
            List<String[]> clauses = new ArrayList<>();
            for (String part : or.split("\\s+AND\\s+")) {
                java.util.regex.Matcher m = CLAUSE.matcher(part);
                if (!m.matches()) {
                    throw StripeError.invalid("Invalid search query: " + query, "query");
                }
                String field = m.group(2).startsWith("metadata[") ? "metadata" : m.group(2);
                if (!FIELDS.get(tableName).contains(field)) {
                    String plural = tableName + "s";
                    throw StripeError.invalid("Field `" + m.group(2) + "` is an unsupported search field for resource "
                            + "`" + plural + "`. See https://stripe.com/docs/search#query-fields-for-"
                            + plural.replace('_', '-') + " for a list of supported fields.", "query");
                }
                String v = m.group(4) != null ? m.group(4).replace("\\'", "'") : m.group(5) != null ? m.group(5)
                        : m.group(6);
                clauses.add(new String[] {m.group(1), m.group(2), m.group(3), v});
            }
            disjuncts.add(clauses);
        }
        List<ObjectNode> hits = new ArrayList<>();
        for (ObjectNode o : table(tableName).values()) {
            for (List<String[]> clauses : disjuncts) {
                boolean all = true;
                for (String[] c : clauses) {
                    boolean match = matches(o, c[1], c[2], c[3]);
                    if (c[0].equals("-")) {
                        match = !match;
                    }
                    all &= match;
                }
                if (all) {
                    hits.add(o);
                    break;
                }
            }
        }
        java.util.Collections.reverse(hits);
        int limit = Pagination.limit(p);
        int from = 0;
        String page = p.str("page");
        if (page != null && !page.isEmpty()) {
            try {
                from = Integer.parseInt(page.replace("page_", ""));
            } catch (NumberFormatException e) {
                throw StripeError.invalid("Invalid page: " + page, "page");
            }
        }
        int to = Math.min(hits.size(), from + limit);
        ObjectNode r = Json.obj();
        r.put("object", "search_result");
        ArrayNode data = r.putArray("data");
        for (int i = from; i < to; i++) {
            data.add(hits.get(i).deepCopy());
        }
        r.put("has_more", to < hits.size());
        if (to < hits.size()) {
            r.put("next_page", "page_" + to);
        } else {
            r.putNull("next_page");
        }
        r.put("url", url);
        return r;
    }

    private static boolean matches(ObjectNode o, String field, String op, String value) {
        JsonNode v;
        if (field.startsWith("metadata[")) {
            v = o.path("metadata").path(field.substring(10, field.length() - 2));
        } else {
            v = o.path(field);
        }
        if (v.isMissingNode() || v.isNull()) {
            return false;
        }
        switch (op) {
            case ":":
                return v.isNumber() ? v.asText().equals(value) : v.asText().equalsIgnoreCase(value);
            case "~":
                return v.asText().toLowerCase().contains(value.toLowerCase());
            default:
                long a = v.asLong();
                long b;
                try {
                    b = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw StripeError.invalid("Invalid number in search query: " + value, "query");
                }
                switch (op) {
                    case ">":
                        return a > b;
                    case "<":
                        return a < b;
                    case ">=":
                        return a >= b;
                    default:
                        return a <= b;
                }
        }
    }
}
