package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The emulator's state and Stripe's behaviour. Every public operation runs under the engine's lock. */
final class Engine {
    static final String API_VERSION = "2026-07-29.dahlia";
    static final List<String> TABLES = List.of("customer", "product", "price", "payment_method", "payment_intent",
            "charge", "refund", "dispute", "event", "webhook_endpoint", "checkout.session");
    private static final Map<String, String> KIND = Map.ofEntries(Map.entry("customer", "customer"),
            Map.entry("product", "product"), Map.entry("price", "price"),
            Map.entry("payment_method", "PaymentMethod"), Map.entry("payment_intent", "payment_intent"),
            Map.entry("charge", "charge"), Map.entry("refund", "refund"), Map.entry("dispute", "dispute"),
            Map.entry("event", "event"), Map.entry("webhook_endpoint", "webhook endpoint"),
            Map.entry("checkout.session", "checkout.session"));

    /** Per-request context, for events' {@code request} field. */
    static final ThreadLocal<String[]> REQUEST = new ThreadLocal<>();

    interface Host {
        String baseUrl();

        double timeScale();

        Webhooks webhooks();
    }

    private final Host host;
    private final Map<String, LinkedHashMap<String, ObjectNode>> tables = new HashMap<>();
    private final Map<String, String> tableOf = new HashMap<>();
    private final Set<String> deletedCustomers = new HashSet<>();
    private final Map<String, ArrayNode> lineItems = new HashMap<>();
    private final Map<String, String> pmNumbers = new HashMap<>();
    private final Map<String, String> sessionByPi = new HashMap<>();
    private final Map<String, String> endpointSecrets = new HashMap<>();
    private final List<Task> tasks = new ArrayList<>();
    private long clockOffsetSeconds;
    /** The earliest {@code expires_at} of an open session, to keep the clock tick cheap. */
    private long nextExpiryMillis = Long.MAX_VALUE;

    private static final class Task {
        final long dueMillis;
        final Runnable run;

        Task(long dueMillis, Runnable run) {
            this.dueMillis = dueMillis;
            this.run = run;
        }
    }

    Engine(Host host) {
        this.host = host;
        for (String t : TABLES) {
            tables.put(t, new LinkedHashMap<>());
        }
    }

    // ------------------------------------------------------------------ clock, tasks

    synchronized long now() {
        return nowMillis() / 1000;
    }

    synchronized long nowMillis() {
        return System.currentTimeMillis() + clockOffsetSeconds * 1000;
    }

    synchronized long clockOffset() {
        return clockOffsetSeconds;
    }

    synchronized void advanceClock(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("the clock only moves forward");
        }
        clockOffsetSeconds += seconds;
        tick();
    }

    private long asyncDelayMillis() {
        return Math.max(1, Math.round(2000 * host.timeScale()));
    }

    private void later(Runnable r) {
        tasks.add(new Task(nowMillis() + asyncDelayMillis(), r));
    }

    /** Runs due tasks and expires due checkout sessions. */
    synchronized void tick() {
        long now = nowMillis();
        List<Task> due = new ArrayList<>();
        for (Iterator<Task> it = tasks.iterator(); it.hasNext();) {
            Task t = it.next();
            if (t.dueMillis <= now) {
                due.add(t);
                it.remove();
            }
        }
        String[] saved = REQUEST.get();
        REQUEST.set(null);
        try {
            for (Task t : due) {
                t.run.run();
            }
            if (nextExpiryMillis <= now) {
                long next = Long.MAX_VALUE;
                for (ObjectNode s : new ArrayList<>(table("checkout.session").values())) {
                    if (!s.path("status").asText().equals("open")) {
                        continue;
                    }
                    long at = s.path("expires_at").asLong() * 1000;
                    if (at <= now) {
                        expireSession(s);
                    } else {
                        next = Math.min(next, at);
                    }
                }
                nextExpiryMillis = next;
            }
        } finally {
            REQUEST.set(saved);
        }
    }

    synchronized void reset() {
        for (LinkedHashMap<String, ObjectNode> t : tables.values()) {
            t.clear();
        }
        tableOf.clear();
        deletedCustomers.clear();
        lineItems.clear();
        pmNumbers.clear();
        sessionByPi.clear();
        endpointSecrets.clear();
        pendingIntentData.clear();
        asyncSessions.clear();
        tasks.clear();
        clockOffsetSeconds = 0;
        nextExpiryMillis = Long.MAX_VALUE;
    }

    // ------------------------------------------------------------------ storage

    private LinkedHashMap<String, ObjectNode> table(String name) {
        return tables.get(name);
    }

    private void store(ObjectNode o) {
        String t = o.get("object").asText();
        table(t).put(o.get("id").asText(), o);
        tableOf.put(o.get("id").asText(), t);
    }

    private ObjectNode get(String table, String id, String param) {
        ObjectNode o = id == null ? null : table(table).get(id);
        if (o == null) {
            throw StripeError.notFound(KIND.get(table), id, param);
        }
        return o;
    }

    /** Any stored object by id, or null. */
    synchronized ObjectNode find(String id) {
        String t = tableOf.get(id);
        return t == null ? null : table(t).get(id);
    }

    synchronized List<ObjectNode> all(String table) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : table(table).values()) {
            out.add(o.deepCopy());
        }
        return out;
    }

    synchronized void setEndpointSecret(String id, String secret) {
        get("webhook_endpoint", id, "id");
        endpointSecrets.put(id, secret);
    }

    synchronized String endpointIdForUrl(String url) {
        for (ObjectNode we : table("webhook_endpoint").values()) {
            if (we.path("url").asText().equals(url)) {
                return we.path("id").asText();
            }
        }
        return null;
    }

    String endpointSecret(String id) {
        synchronized (this) {
            return endpointSecrets.get(id);
        }
    }

    // ------------------------------------------------------------------ lists and expansion

    synchronized ObjectNode list(String tableName, String url, Params p, Predicate<ObjectNode> filter) {
        List<ObjectNode> items = new ArrayList<>();
        for (ObjectNode o : table(tableName).values()) {
            if (filter.test(o) && createdMatches(o, p)) {
                items.add(o);
            }
        }
        java.util.Collections.reverse(items);
        return page(items, url, p);
    }

    private static boolean createdMatches(ObjectNode o, Params p) {
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

    static ObjectNode page(List<ObjectNode> items, String url, Params p) {
        Long limitL = p.lng("limit");
        int limit = limitL == null ? 10 : limitL.intValue();
        if (limit < 1 || limit > 100) {
            throw StripeError.invalid("This value must be greater than or equal to 1 and less than or equal to 100.",
                    "limit");
        }
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

    private static int indexOf(List<ObjectNode> items, String id, String param) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).path("id").asText().equals(id)) {
                return i;
            }
        }
        throw StripeError.invalid("resource_missing", "No such object: '" + id + "'", param);
    }

    synchronized JsonNode expand(JsonNode result, List<String> paths) {
        for (String path : paths) {
            expandPath(result, path.split("\\."), 0, path);
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
            ArrayNode items = lineItems.getOrDefault(o.path("id").asText(), Json.arr());
            List<ObjectNode> l = new ArrayList<>();
            items.forEach(x -> l.add((ObjectNode) x));
            Params p = Params.empty();
            p.root.put("limit", "100");
            v = page(l, "/v1/checkout/sessions/" + o.path("id").asText() + "/line_items", p);
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
            Params p = Params.empty();
            p.root.put("limit", "100");
            v = page(l, "/v1/charges/" + chId + "/refunds", p);
            o.set(field, v);
        } else if (v != null && v.isTextual()) {
            ObjectNode target = find(v.asText());
            if (target == null && deletedCustomers.contains(v.asText())) {
                target = deletedStub(v.asText());
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

    // ------------------------------------------------------------------ search

    private static final java.util.regex.Pattern CLAUSE = java.util.regex.Pattern.compile(
            "\\s*(-?)([a-z_]+(?:\\['[^']*'\\])?)\\s*(:|~|>=|<=|>|<)\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|\"([^\"]*)\"|([^\\s]+))\\s*");

    /** Stripe's search query language, the common subset: {@code field:'v'}, {@code metadata['k']:'v'}, AND/OR. */
    synchronized ObjectNode search(String tableName, String url, Params p) {
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
        Long limitL = p.lng("limit");
        int limit = limitL == null ? 10 : limitL.intValue();
        if (limit < 1 || limit > 100) {
            throw StripeError.invalid("This value must be greater than or equal to 1 and less than or equal to 100.",
                    "limit");
        }
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

    // ------------------------------------------------------------------ events

    private ObjectNode emit(String type, ObjectNode object, ObjectNode previous) {
        ObjectNode e = Json.obj();
        e.put("id", Ids.id("evt"));
        e.put("object", "event");
        e.put("api_version", API_VERSION);
        e.put("created", now());
        ObjectNode data = e.putObject("data");
        data.set("object", object.deepCopy());
        // Stripe includes previous_attributes only in *.updated events
        if (previous != null && type.endsWith(".updated")) {
            data.set("previous_attributes", previous);
        }
        e.put("livemode", false);
        e.put("pending_webhooks", 0);
        ObjectNode req = e.putObject("request");
        String[] r = REQUEST.get();
        if (r == null) {
            req.putNull("id");
            req.putNull("idempotency_key");
        } else {
            req.put("id", r[0]);
            if (r[1] == null) {
                req.putNull("idempotency_key");
            } else {
                req.put("idempotency_key", r[1]);
            }
        }
        e.put("type", type);
        store(e);
        Webhooks wh = host.webhooks();
        boolean dup = wh != null && wh.takeDuplicate();
        deliver(e);
        if (dup) {
            deliver(e);
            ObjectNode second = e.deepCopy();
            second.put("id", Ids.id("evt"));
            store(second);
            deliver(second);
        }
        return e;
    }

    private void deliver(ObjectNode event) {
        Webhooks wh = host.webhooks();
        if (wh == null) {
            return;
        }
        List<Webhooks.Target> targets = targetsFor(event.path("type").asText(), null);
        event.put("pending_webhooks", event.path("pending_webhooks").asInt() + targets.size());
        if (!targets.isEmpty()) {
            wh.dispatch(event.deepCopy(), targets);
        }
    }

    private List<Webhooks.Target> targetsFor(String type, String onlyEndpoint) {
        List<Webhooks.Target> out = new ArrayList<>();
        for (ObjectNode we : table("webhook_endpoint").values()) {
            if (onlyEndpoint != null && !onlyEndpoint.equals(we.path("id").asText())) {
                continue;
            }
            if (!we.path("status").asText().equals("enabled")) {
                continue;
            }
            boolean match = false;
            for (JsonNode ev : we.path("enabled_events")) {
                String s = ev.asText();
                if (s.equals("*") || s.equals(type) || (s.endsWith(".*") && type.startsWith(s.substring(0, s.length() - 1)))) {
                    match = true;
                }
            }
            if (match) {
                String v = we.path("api_version").isNull() ? API_VERSION : we.path("api_version").asText();
                out.add(new Webhooks.Target(we.path("id").asText(), we.path("url").asText(),
                        endpointSecrets.get(we.path("id").asText()), v));
            }
        }
        return out;
    }

    synchronized void delivered(String eventId) {
        ObjectNode e = table("event").get(eventId);
        if (e != null) {
            e.put("pending_webhooks", Math.max(0, e.path("pending_webhooks").asInt() - 1));
        }
    }

    synchronized int resend(String eventId, String endpointId) {
        ObjectNode e = get("event", eventId, "id");
        List<Webhooks.Target> targets = targetsFor(e.path("type").asText(), endpointId);
        if (endpointId != null && targets.isEmpty()) {
            ObjectNode we = get("webhook_endpoint", endpointId, "endpoint");
            String v = we.path("api_version").isNull() ? API_VERSION : we.path("api_version").asText();
            targets.add(new Webhooks.Target(endpointId, we.path("url").asText(), endpointSecrets.get(endpointId), v));
        }
        e.put("pending_webhooks", e.path("pending_webhooks").asInt() + targets.size());
        host.webhooks().dispatch(e.deepCopy(), targets);
        return targets.size();
    }

    synchronized ObjectNode retrieveEvent(String id) {
        return get("event", id, "id").deepCopy();
    }

    synchronized ObjectNode listEvents(Params p) {
        p.allow("limit", "starting_after", "ending_before", "type", "types[]", "created", "created[*]",
                "delivery_success", "expand[]");
        String type = p.str("type");
        List<String> types = p.strings("types");
        return list("event", "/v1/events", p, e -> {
            String t = e.path("type").asText();
            if (type != null && !matchesType(type, t)) {
                return false;
            }
            if (!types.isEmpty()) {
                for (String x : types) {
                    if (matchesType(x, t)) {
                        return true;
                    }
                }
                return false;
            }
            return true;
        });
    }

    private static boolean matchesType(String pattern, String type) {
        if (pattern.endsWith("*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    private void updated(String type, ObjectNode obj, ObjectNode before) {
        ObjectNode prev = Json.diff(before, obj);
        if (prev.size() > 0) {
            emit(type, obj, prev);
        }
    }

    // ------------------------------------------------------------------ customers

    private static final String[] CUSTOMER_PARAMS = {"email", "name", "description", "phone", "metadata[*]",
        "address[*]", "shipping[*]", "shipping[address][*]", "payment_method", "invoice_settings[*]",
        "preferred_locales[]", "expand[]", "tax_exempt", "balance"};

    synchronized ObjectNode createCustomer(Params p) {
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
        applyCustomer(c, p);
        store(c);
        String pm = p.str("payment_method");
        if (pm != null) {
            attach(resolvePaymentMethod(pm, "payment_method"), c.path("id").asText());
        }
        emit("customer.created", c, null);
        return c.deepCopy();
    }

    private void applyCustomer(ObjectNode c, Params p) {
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
        mergeMetadata(c, p.stringMap("metadata"));
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

    static void mergeMetadata(ObjectNode target, ObjectNode md) {
        if (md == null) {
            return;
        }
        md.fields().forEachRemaining(e -> {
            if (e.getKey().length() > 40) {
                throw StripeError.invalid("Metadata keys can have up to 40 characters. The key `" + e.getKey()
                        + "` is too long.", "metadata[" + e.getKey() + "]");
            }
            if (e.getValue().asText().length() > 500) {
                throw StripeError.invalid("Metadata values can have up to 500 characters, but you passed in a "
                        + "value that is " + e.getValue().asText().length() + " characters.",
                        "metadata[" + e.getKey() + "]");
            }
        });
        JsonNode old = target.get("metadata");
        ObjectNode merged = old == null || !old.isObject() || md.isEmpty() ? Json.obj() : ((ObjectNode) old).deepCopy();
        md.fields().forEachRemaining(e -> {
            if (e.getValue().asText().isEmpty()) {
                merged.remove(e.getKey());
            } else {
                merged.set(e.getKey(), e.getValue());
            }
        });
        if (merged.size() > 50) {
            throw StripeError.invalid("You can have up to 50 metadata keys.", "metadata");
        }
        target.set("metadata", merged);
    }

    private static ObjectNode deletedStub(String id) {
        ObjectNode d = Json.obj();
        d.put("id", id);
        d.put("object", "customer");
        d.put("deleted", true);
        return d;
    }

    synchronized ObjectNode retrieveCustomer(String id) {
        if (deletedCustomers.contains(id)) {
            return deletedStub(id);
        }
        return get("customer", id, "id").deepCopy();
    }

    synchronized ObjectNode updateCustomer(String id, Params p) {
        p.allow(CUSTOMER_PARAMS);
        ObjectNode c = get("customer", id, "id");
        ObjectNode before = c.deepCopy();
        applyCustomer(c, p);
        updated("customer.updated", c, before);
        return c.deepCopy();
    }

    synchronized ObjectNode deleteCustomer(String id) {
        ObjectNode c = get("customer", id, "id");
        table("customer").remove(id);
        tableOf.remove(id);
        deletedCustomers.add(id);
        emit("customer.deleted", c, null);
        return deletedStub(id);
    }

    synchronized ObjectNode listCustomers(Params p) {
        p.allow("limit", "starting_after", "ending_before", "email", "created", "created[*]", "expand[]",
                "test_clock");
        String email = p.str("email");
        return list("customer", "/v1/customers", p, c -> email == null || email.equals(c.path("email").asText()));
    }

    // ------------------------------------------------------------------ products and prices

    synchronized ObjectNode createProduct(Params p) {
        p.allow("name", "description", "active", "metadata[*]", "images[]", "url", "id", "shippable",
                "statement_descriptor", "tax_code", "unit_label", "expand[]", "default_price_data[*]",
                "marketing_features[][name]");
        return newProduct(p.req("name"), p, true);
    }

    private ObjectNode newProduct(String name, Params p, boolean emitEvent) {
        ObjectNode pr = Json.obj();
        String id = p.str("id") == null ? Ids.id("prod").substring(0, 19) : p.str("id");
        if (table("product").containsKey(id)) {
            throw StripeError.invalid("resource_already_exists", "Product already exists.", "id");
        }
        pr.put("id", id);
        pr.put("object", "product");
        pr.put("active", p.bool("active") == null || p.bool("active"));
        pr.put("created", now());
        pr.putNull("default_price");
        String d = p.str("description");
        if (d == null) {
            pr.putNull("description");
        } else {
            pr.put("description", d);
        }
        ArrayNode images = pr.putArray("images");
        p.strings("images").forEach(images::add);
        pr.put("livemode", false);
        pr.putArray("marketing_features");
        pr.putObject("metadata");
        mergeMetadata(pr, p.stringMap("metadata"));
        pr.put("name", name);
        pr.putNull("package_dimensions");
        pr.putNull("shippable");
        pr.putNull("statement_descriptor");
        pr.putNull("tax_code");
        pr.put("type", "service");
        pr.putNull("unit_label");
        pr.put("updated", now());
        String url = p.str("url");
        if (url == null) {
            pr.putNull("url");
        } else {
            pr.put("url", url);
        }
        store(pr);
        if (emitEvent) {
            emit("product.created", pr, null);
        }
        return pr.deepCopy();
    }

    synchronized ObjectNode retrieveProduct(String id) {
        return get("product", id, "id").deepCopy();
    }

    synchronized ObjectNode updateProduct(String id, Params p) {
        p.allow("name", "description", "active", "metadata[*]", "images[]", "url", "default_price", "expand[]");
        ObjectNode pr = get("product", id, "id");
        ObjectNode before = pr.deepCopy();
        if (p.has("name")) {
            pr.put("name", p.req("name"));
        }
        if (p.has("description")) {
            pr.put("description", p.str("description"));
        }
        if (p.has("active")) {
            pr.put("active", p.bool("active"));
        }
        if (p.has("default_price")) {
            pr.put("default_price", get("price", p.str("default_price"), "default_price").path("id").asText());
        }
        mergeMetadata(pr, p.stringMap("metadata"));
        pr.put("updated", now());
        updated("product.updated", pr, before);
        return pr.deepCopy();
    }

    synchronized ObjectNode listProducts(Params p) {
        p.allow("limit", "starting_after", "ending_before", "active", "ids[]", "created", "created[*]",
                "expand[]", "shippable", "url");
        Boolean active = p.bool("active");
        List<String> ids = p.strings("ids");
        return list("product", "/v1/products", p, o -> (active == null || o.path("active").asBoolean() == active)
                && (ids.isEmpty() || ids.contains(o.path("id").asText())));
    }

    synchronized ObjectNode createPrice(Params p) {
        p.allow("currency", "unit_amount", "unit_amount_decimal", "product", "product_data[*]",
                "product_data[metadata][*]", "recurring[*]", "nickname", "metadata[*]", "lookup_key", "active",
                "tax_behavior", "billing_scheme", "expand[]", "transfer_lookup_key");
        String currency = p.req("currency").toLowerCase();
        Money.validateCurrency(currency, "currency");
        String productId;
        if (p.has("product")) {
            productId = get("product", p.str("product"), "product").path("id").asText();
        } else if (p.has("product_data")) {
            Map<String, Object> pd = p.map("product_data");
            String name = Params.str(pd, "name");
            if (name == null) {
                throw StripeError.missing("product_data[name]");
            }
            Map<String, Object> pm = new LinkedHashMap<>(pd);
            pm.remove("name");
            productId = newProduct(name, Params.of(pm), true).path("id").asText();
        } else {
            throw StripeError.invalid("You must specify either `product` or `product_data` when creating a price.",
                    "product");
        }
        Long amount = p.lng("unit_amount");
        if (amount == null && p.str("unit_amount_decimal") != null) {
            amount = new java.math.BigDecimal(p.str("unit_amount_decimal")).longValue();
        }
        if (amount == null) {
            throw StripeError.missing("unit_amount");
        }
        ObjectNode price = newPrice(currency, amount, productId, p.map("recurring"), true);
        if (p.has("nickname")) {
            price.put("nickname", p.str("nickname"));
        }
        if (p.has("lookup_key")) {
            price.put("lookup_key", p.str("lookup_key"));
        }
        if (p.has("active")) {
            price.put("active", p.bool("active"));
        }
        if (p.has("tax_behavior")) {
            price.put("tax_behavior", p.str("tax_behavior"));
        }
        mergeMetadata(price, p.stringMap("metadata"));
        emit("price.created", price, null);
        return price.deepCopy();
    }

    private ObjectNode newPrice(String currency, long amount, String productId, Map<String, Object> recurring,
            boolean active) {
        if (amount < 0) {
            throw StripeError.invalid("Invalid non-negative integer", "unit_amount");
        }
        ObjectNode pr = Json.obj();
        pr.put("id", Ids.id("price"));
        pr.put("object", "price");
        pr.put("active", active);
        pr.put("billing_scheme", "per_unit");
        pr.put("created", now());
        pr.put("currency", currency);
        pr.putNull("custom_unit_amount");
        pr.put("livemode", false);
        pr.putNull("lookup_key");
        pr.putObject("metadata");
        pr.putNull("nickname");
        pr.put("product", productId);
        if (recurring == null) {
            pr.putNull("recurring");
            pr.put("type", "one_time");
        } else {
            ObjectNode r = pr.putObject("recurring");
            String interval = Params.str(recurring, "interval");
            if (interval == null) {
                throw StripeError.missing("recurring[interval]");
            }
            r.put("interval", interval);
            Long ic = Params.lng(recurring, "interval_count", "recurring[interval_count]");
            r.put("interval_count", ic == null ? 1 : ic);
            r.putNull("meter");
            r.putNull("trial_period_days");
            r.put("usage_type", "licensed");
            pr.put("type", "recurring");
        }
        pr.put("tax_behavior", "unspecified");
        pr.putNull("tiers_mode");
        pr.putNull("transform_quantity");
        pr.put("unit_amount", amount);
        pr.put("unit_amount_decimal", Long.toString(amount));
        store(pr);
        return pr;
    }

    synchronized ObjectNode retrievePrice(String id) {
        return get("price", id, "id").deepCopy();
    }

    synchronized ObjectNode updatePrice(String id, Params p) {
        p.allow("active", "metadata[*]", "nickname", "lookup_key", "tax_behavior", "expand[]");
        ObjectNode pr = get("price", id, "id");
        ObjectNode before = pr.deepCopy();
        if (p.has("active")) {
            pr.put("active", p.bool("active"));
        }
        if (p.has("nickname")) {
            pr.put("nickname", p.str("nickname"));
        }
        if (p.has("lookup_key")) {
            pr.put("lookup_key", p.str("lookup_key"));
        }
        mergeMetadata(pr, p.stringMap("metadata"));
        updated("price.updated", pr, before);
        return pr.deepCopy();
    }

    synchronized ObjectNode listPrices(Params p) {
        p.allow("limit", "starting_after", "ending_before", "active", "product", "currency", "type",
                "lookup_keys[]", "created", "created[*]", "expand[]", "recurring[*]");
        Boolean active = p.bool("active");
        String product = p.str("product");
        String currency = p.str("currency");
        String type = p.str("type");
        List<String> keys = p.strings("lookup_keys");
        return list("price", "/v1/prices", p, o -> (active == null || o.path("active").asBoolean() == active)
                && (product == null || product.equals(o.path("product").asText()))
                && (currency == null || currency.equals(o.path("currency").asText()))
                && (type == null || type.equals(o.path("type").asText()))
                && (keys.isEmpty() || keys.contains(o.path("lookup_key").asText())));
    }

    // ------------------------------------------------------------------ payment methods

    synchronized ObjectNode createPaymentMethod(Params p) {
        p.allow("type", "card[*]", "sepa_debit[*]", "billing_details[*]", "billing_details[address][*]",
                "metadata[*]", "expand[]", "allow_redisplay", "customer", "payment_method");
        String type = p.req("type");
        ObjectNode pm;
        if (type.equals("sepa_debit")) {
            pm = newSepaPaymentMethod(p.map("sepa_debit"), "sepa_debit", p.map("billing_details"), "billing_details");
        } else if (type.equals("card")) {
            pm = newCardPaymentMethod(p.map("card"), "card", p.map("billing_details"));
        } else {
            throw StripeError.invalid("The payment method type `" + type + "` is not supported by this emulator.",
                    "type");
        }
        mergeMetadata(pm, p.stringMap("metadata"));
        return pm.deepCopy();
    }

    private ObjectNode newCardPaymentMethod(Map<String, Object> card, String prefix, Map<String, Object> billing) {
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
                throw StripeError.notFound("token", token, prefix + "[token]");
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
        ObjectNode pm = Json.obj();
        pm.put("id", Ids.id("pm"));
        pm.put("object", "payment_method");
        pm.put("allow_redisplay", "unspecified");
        ObjectNode bd = pm.putObject("billing_details");
        bd.set("address", Json.address());
        bd.putNull("email");
        bd.putNull("name");
        bd.putNull("phone");
        bd.putNull("tax_id");
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
        ObjectNode c = pm.putObject("card");
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
        pm.put("created", now());
        pm.putNull("customer");
        pm.putNull("customer_account");
        pm.put("livemode", false);
        pm.putObject("metadata");
        pm.put("type", "card");
        store(pm);
        pmNumbers.put(pm.path("id").asText(), number);
        return pm;
    }

    private void validateCard(String number, long expMonth, long expYear, String cvc) {
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
    private ObjectNode resolvePaymentMethod(String id, String param) {
        String number = Cards.ALIASES.get(id);
        if (number != null) {
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("number", number);
            card.put("exp_month", "12");
            card.put("exp_year", Integer.toString(LocalDate.ofEpochDay(now() / 86400).getYear() + 3));
            ObjectNode pm = newCardPaymentMethod(card, "card", null);
            ((ObjectNode) pm.get("card").get("checks")).put("cvc_check", "pass");
            return pm;
        }
        return get("payment_method", id, param);
    }

    synchronized ObjectNode retrievePaymentMethod(String id) {
        return resolvePaymentMethod(id, "id").deepCopy();
    }

    synchronized ObjectNode updatePaymentMethod(String id, Params p) {
        p.allow("billing_details[*]", "billing_details[address][*]", "metadata[*]", "card[*]", "expand[]",
                "allow_redisplay");
        ObjectNode pm = get("payment_method", id, "id");
        ObjectNode before = pm.deepCopy();
        mergeMetadata(pm, p.stringMap("metadata"));
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
        }
        updated("payment_method.updated", pm, before);
        return pm.deepCopy();
    }

    synchronized ObjectNode attachPaymentMethod(String id, Params p) {
        p.allow("customer", "expand[]");
        ObjectNode pm = resolvePaymentMethod(id, "id");
        String customer = p.req("customer");
        get("customer", customer, "customer");
        if (!pm.path("customer").isNull() && !pm.path("customer").asText().equals(customer)) {
            throw StripeError.invalid("This PaymentMethod is already attached to a different customer.", null);
        }
        attach(pm, customer);
        return pm.deepCopy();
    }

    private void attach(ObjectNode pm, String customer) {
        if (pm.path("customer").asText().equals(customer)) {
            return;
        }
        pm.put("customer", customer);
        emit("payment_method.attached", pm, null);
    }

    synchronized ObjectNode detachPaymentMethod(String id, Params p) {
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

    synchronized ObjectNode listPaymentMethods(Params p, String customerFromPath) {
        p.allow("limit", "starting_after", "ending_before", "customer", "type", "expand[]", "allow_redisplay");
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

    // ------------------------------------------------------------------ payment intents

    private static final String[] PI_CREATE = {"amount", "currency", "automatic_payment_methods[*]", "customer",
        "description", "metadata[*]", "payment_method", "payment_method_types[]", "confirm", "capture_method",
        "return_url", "receipt_email", "setup_future_usage", "statement_descriptor", "statement_descriptor_suffix",
        "shipping[*]", "shipping[address][*]", "off_session", "confirmation_method", "payment_method_data[*]",
        "payment_method_data[card][*]", "payment_method_data[billing_details][*]",
        "payment_method_data[sepa_debit][*]",
        "payment_method_data[billing_details][address][*]", "payment_method_options[*]",
        "payment_method_options[card][*]", "error_on_requires_action", "mandate_data[*]", "expand[]",
        "transfer_group", "use_stripe_sdk",
        // accepted and ignored
        "mandate_data[**]", "payment_method_options[**]", "shipping[**]", "radar_options[**]",
        "excluded_payment_method_types[]", "payment_method_configuration", "on_behalf_of", "application_fee_amount",
        "transfer_data[**]", "confirmation_token", "payment_details[**]", "amount_details[**]", "hooks[**]",
        "payment_method_data[**]"};

    synchronized ObjectNode createPaymentIntent(Params p) {
        p.allow(PI_CREATE);
        long amount = p.reqLong("amount");
        String currency = p.req("currency").toLowerCase();
        Money.validateCurrency(currency, "currency");
        Money.validateAmount(amount, currency, "amount");
        if (p.has("automatic_payment_methods") && p.has("payment_method_types")) {
            throw StripeError.invalid("You may only specify one of these parameters: automatic_payment_methods, "
                    + "payment_method_types.", "automatic_payment_methods");
        }
        if (p.has("return_url") && !Boolean.TRUE.equals(p.bool("confirm"))) {
            throw StripeError.invalid("You cannot specify `return_url` unless you also specify `confirm=true`.",
                    "return_url");
        }
        String customer = p.str("customer");
        if (customer != null) {
            get("customer", customer, "customer");
        }
        ObjectNode pi = newPaymentIntent(amount, currency, customer, p.stringMap("metadata"), p.str("description"));
        String capture = p.str("capture_method");
        if (capture != null) {
            checkEnum(capture, "capture_method", "automatic", "automatic_async", "manual");
            pi.put("capture_method", capture);
        }
        if (p.has("payment_method_types")) {
            ArrayNode types = pi.putArray("payment_method_types");
            p.strings("payment_method_types").forEach(types::add);
            pi.putNull("automatic_payment_methods");
            pi.putNull("payment_method_configuration_details");
        } else if (p.has("automatic_payment_methods")) {
            Boolean enabled = Params.bool(p.map("automatic_payment_methods"), "enabled",
                    "automatic_payment_methods[enabled]");
            ObjectNode apm = pi.putObject("automatic_payment_methods");
            apm.put("enabled", enabled == null || enabled);
            String ar = Params.str(p.map("automatic_payment_methods"), "allow_redirects");
            if (ar != null) {
                apm.put("allow_redirects", ar);
            }
        }
        if (p.has("receipt_email")) {
            pi.put("receipt_email", p.str("receipt_email"));
        }
        if (p.has("setup_future_usage")) {
            pi.put("setup_future_usage", p.str("setup_future_usage"));
        }
        if (p.has("statement_descriptor_suffix")) {
            pi.put("statement_descriptor_suffix", p.str("statement_descriptor_suffix"));
        }
        if (p.has("payment_method")) {
            ObjectNode pm = resolvePaymentMethod(p.str("payment_method"), "payment_method");
            pi.put("payment_method", pm.path("id").asText());
            pi.put("status", "requires_confirmation");
        }
        if (p.has("payment_method_data")) {
            ObjectNode pm = pmFromData(p.map("payment_method_data"));
            pi.put("payment_method", pm.path("id").asText());
            pi.put("status", "requires_confirmation");
        }
        if (Boolean.TRUE.equals(p.bool("confirm"))) {
            requireReturnUrl(pi, p.str("return_url"));
        }
        store(pi);
        emit("payment_intent.created", pi, null);
        if (Boolean.TRUE.equals(p.bool("confirm"))) {
            doConfirm(pi, p.str("return_url"));
        }
        return pi.deepCopy();
    }

    private static void checkEnum(String v, String param, String... allowed) {
        for (String a : allowed) {
            if (a.equals(v)) {
                return;
            }
        }
        throw StripeError.invalid("Invalid " + param + ": must be one of " + String.join(", ", allowed), param);
    }

    private ObjectNode pmFromData(Map<String, Object> data) {
        String type = Params.str(data, "type");
        if (type == null) {
            throw StripeError.missing("payment_method_data[type]");
        }
        if (type.equals("sepa_debit")) {
            return newSepaPaymentMethod(Params.map(data, "sepa_debit"), "payment_method_data[sepa_debit]",
                    Params.map(data, "billing_details"), "payment_method_data[billing_details]");
        }
        if (!type.equals("card")) {
            throw StripeError.invalid("The payment method type `" + type + "` is not supported by this emulator.",
                    "payment_method_data[type]");
        }
        return newCardPaymentMethod(Params.map(data, "card"), "payment_method_data[card]",
                Params.map(data, "billing_details"));
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(x -> out.add(x.asText()));
        return out;
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

    private ObjectNode newSepaPaymentMethod(Map<String, Object> sepa, String prefix, Map<String, Object> billing,
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
        ObjectNode pm = Json.obj();
        pm.put("id", Ids.id("pm"));
        pm.put("object", "payment_method");
        pm.put("allow_redisplay", "unspecified");
        ObjectNode bd = pm.putObject("billing_details");
        bd.set("address", Json.address());
        bd.put("email", email);
        bd.put("name", name);
        bd.putNull("phone");
        bd.putNull("tax_id");
        pm.put("created", now());
        pm.putNull("customer");
        pm.putNull("customer_account");
        pm.put("livemode", false);
        pm.putObject("metadata");
        ObjectNode sd = pm.putObject("sepa_debit");
        sd.put("bank_code", iban.length() >= 12 ? iban.substring(4, 12) : "");
        sd.put("branch_code", "");
        sd.put("country", iban.substring(0, 2));
        sd.put("fingerprint", Cards.fingerprint(iban));
        ObjectNode gf = sd.putObject("generated_from");
        gf.putNull("charge");
        gf.putNull("setup_attempt");
        sd.put("last4", iban.substring(iban.length() - 4));
        pm.put("type", "sepa_debit");
        store(pm);
        pmNumbers.put(pm.path("id").asText(), "iban:" + iban);
        return pm;
    }

    /** SEPA Direct Debit: processing now, settles (or fails) later as Stripe's test IBANs do. */
    private void debit(ObjectNode pi, ObjectNode pm) {
        if (!pi.path("currency").asText().equals("eur")) {
            throw StripeError.invalid("The currency provided (" + pi.path("currency").asText() + ") is invalid. "
                    + "Payments with sepa_debit support the following currencies: eur.", "payment_method");
        }
        String iban = pmNumbers.getOrDefault(pm.path("id").asText(), "iban:").substring(5);
        ObjectNode before = pi.deepCopy();
        ObjectNode ch = newCharge(pi, pm, null, false);
        ch.put("status", "pending");
        ch.put("paid", false);
        ch.putNull("balance_transaction");
        ObjectNode pmd = ch.putObject("payment_method_details");
        ObjectNode sd = pmd.putObject("sepa_debit");
        sd.setAll((ObjectNode) pm.get("sepa_debit").deepCopy());
        sd.remove("generated_from");
        sd.put("mandate", Ids.id("mandate"));
        pmd.put("type", "sepa_debit");
        pi.put("latest_charge", ch.path("id").asText());
        pi.put("payment_method", pm.path("id").asText());
        pi.put("status", "processing");
        pi.putNull("next_action");
        emit("charge.pending", ch, null);
        emit("payment_intent.processing", pi, Json.diff(before, pi));
        String sid = sessionByPi.get(pi.path("id").asText());
        if (sid != null) {
            asyncSessions.add(sid);
            completeSession(pi, "unpaid");
        }
        String piId = pi.path("id").asText();
        String chId = ch.path("id").asText();
        boolean fails = iban.endsWith("3001");
        boolean dispute = iban.endsWith("3002");
        later(() -> settleDebit(piId, chId, !fails, dispute));
    }

    private void settleDebit(String piId, String chId, boolean ok, boolean dispute) {
        ObjectNode pi = table("payment_intent").get(piId);
        ObjectNode ch = table("charge").get(chId);
        if (pi == null || ch == null || !pi.path("status").asText().equals("processing")) {
            return;
        }
        ObjectNode before = pi.deepCopy();
        ObjectNode chBefore = ch.deepCopy();
        String sid = sessionByPi.get(piId);
        if (ok) {
            ch.put("status", "succeeded");
            ch.put("paid", true);
            ch.put("balance_transaction", Ids.id("txn"));
            pi.put("status", "succeeded");
            pi.put("amount_received", pi.path("amount").asLong());
            emit("charge.succeeded", ch, Json.diff(chBefore, ch));
            emit("payment_intent.succeeded", pi, Json.diff(before, pi));
            onPaymentSucceeded(pi);
            if (dispute) {
                later(() -> openDispute(chId));
            }
        } else {
            ch.put("status", "failed");
            ch.put("failure_code", "insufficient_funds");
            ch.put("failure_message", "The customer's account has insufficient funds to cover this payment.");
            ObjectNode pm = table("payment_method").get(pi.path("payment_method").asText());
            ObjectNode lpe = Json.obj();
            lpe.put("charge", chId);
            lpe.put("code", "payment_intent_payment_attempt_failed");
            lpe.put("doc_url", "https://stripe.com/docs/error-codes/payment-intent-payment-attempt-failed");
            lpe.put("message", "The latest payment attempt of this PaymentIntent has failed or been canceled, and "
                    + "the attached payment method has been removed. You can try confirming again with a new "
                    + "payment method.");
            if (pm != null) {
                lpe.set("payment_method", pm.deepCopy());
            }
            lpe.put("type", "invalid_request_error");
            pi.set("last_payment_error", lpe);
            pi.putNull("payment_method");
            pi.put("status", "requires_payment_method");
            emit("charge.failed", ch, Json.diff(chBefore, ch));
            emit("payment_intent.payment_failed", pi, Json.diff(before, pi));
            if (sid != null && asyncSessions.remove(sid)) {
                ObjectNode s = table("checkout.session").get(sid);
                emit("checkout.session.async_payment_failed", s, null);
            }
        }
    }

    private ObjectNode newPaymentIntent(long amount, String currency, String customer, ObjectNode metadata,
            String description) {
        ObjectNode pi = Json.obj();
        String id = Ids.id("pi");
        pi.put("id", id);
        pi.put("object", "payment_intent");
        pi.put("amount", amount);
        pi.put("amount_capturable", 0);
        pi.putObject("amount_details").putObject("tip");
        pi.put("amount_received", 0);
        pi.putNull("application");
        pi.putNull("application_fee_amount");
        ObjectNode apm = pi.putObject("automatic_payment_methods");
        apm.put("allow_redirects", "always");
        apm.put("enabled", true);
        pi.putNull("canceled_at");
        pi.putNull("cancellation_reason");
        pi.put("capture_method", "automatic_async");
        pi.put("client_secret", id + "_secret_" + Ids.random(25));
        pi.put("confirmation_method", "automatic");
        pi.put("created", now());
        pi.put("currency", currency);
        if (customer == null) {
            pi.putNull("customer");
        } else {
            pi.put("customer", customer);
        }
        pi.putNull("customer_account");
        if (description == null) {
            pi.putNull("description");
        } else {
            pi.put("description", description);
        }
        pi.putNull("excluded_payment_method_types");
        pi.putNull("last_payment_error");
        pi.putNull("latest_charge");
        pi.put("livemode", false);
        pi.putNull("managed_payments");
        pi.putObject("metadata");
        mergeMetadata(pi, metadata);
        pi.putNull("next_action");
        pi.putNull("on_behalf_of");
        pi.putNull("payment_method");
        ObjectNode pmcd = pi.putObject("payment_method_configuration_details");
        pmcd.put("id", "pmc_" + Ids.random(24));
        pmcd.putNull("parent");
        ObjectNode pmo = pi.putObject("payment_method_options").putObject("card");
        pmo.putNull("installments");
        pmo.putNull("mandate_options");
        pmo.putNull("network");
        pmo.put("request_three_d_secure", "automatic");
        pi.putArray("payment_method_types").add("card");
        pi.putNull("processing");
        pi.putNull("receipt_email");
        pi.putNull("review");
        pi.putNull("setup_future_usage");
        pi.putNull("shipping");
        pi.putNull("source");
        pi.putNull("statement_descriptor");
        pi.putNull("statement_descriptor_suffix");
        pi.put("status", "requires_payment_method");
        pi.putNull("transfer_data");
        pi.putNull("transfer_group");
        return pi;
    }

    private ObjectNode pi(String id, String param) {
        return get("payment_intent", id, param);
    }

    private static void checkClientSecret(ObjectNode pi, String secret) {
        if (secret == null) {
            throw StripeError.missing("client_secret");
        }
        if (!pi.path("client_secret").asText().equals(secret)) {
            throw StripeError.invalid("The client_secret provided does not match the client_secret associated "
                    + "with the PaymentIntent.", "client_secret");
        }
    }

    synchronized ObjectNode retrievePaymentIntent(String id, Params p, boolean publishable) {
        p.allow("client_secret", "expand[]");
        ObjectNode pi = pi(id, "intent");
        if (publishable) {
            checkClientSecret(pi, p.str("client_secret"));
        }
        return pi.deepCopy();
    }

    synchronized ObjectNode updatePaymentIntent(String id, Params p) {
        p.allow("amount", "currency", "customer", "description", "metadata[*]", "payment_method", "receipt_email",
                "setup_future_usage", "shipping[*]", "shipping[address][*]", "statement_descriptor",
                "statement_descriptor_suffix", "capture_method", "payment_method_types[]", "expand[]",
                "payment_method_data[*]", "payment_method_data[card][*]", "payment_method_options[*]",
                "payment_method_options[card][*]", "transfer_group");
        ObjectNode pi = pi(id, "intent");
        String st = pi.path("status").asText();
        boolean onlyMeta = p.root.keySet().stream().allMatch(k -> k.equals("metadata") || k.equals("expand")
                || k.equals("description") || k.equals("receipt_email"));
        if (!onlyMeta && !(st.equals("requires_payment_method") || st.equals("requires_confirmation")
                || st.equals("requires_action"))) {
            throw StripeError.state("You cannot update this PaymentIntent because it has a status of " + st
                    + ". Updates are only allowed when the PaymentIntent has a status of requires_payment_method, "
                    + "requires_confirmation, or requires_action.");
        }
        String currency = p.has("currency") ? p.req("currency").toLowerCase() : pi.path("currency").asText();
        Money.validateCurrency(currency, "currency");
        if (p.has("amount")) {
            Money.validateAmount(p.reqLong("amount"), currency, "amount");
            pi.put("amount", p.reqLong("amount"));
        }
        pi.put("currency", currency);
        if (p.has("customer")) {
            get("customer", p.str("customer"), "customer");
            pi.put("customer", p.str("customer"));
        }
        for (String f : new String[] {"description", "receipt_email", "setup_future_usage",
            "statement_descriptor_suffix"}) {
            if (p.has(f)) {
                String v = p.str(f);
                if (v.isEmpty()) {
                    pi.putNull(f);
                } else {
                    pi.put(f, v);
                }
            }
        }
        if (p.has("capture_method")) {
            checkEnum(p.str("capture_method"), "capture_method", "automatic", "automatic_async", "manual");
            pi.put("capture_method", p.str("capture_method"));
        }
        if (p.has("payment_method")) {
            pi.put("payment_method", resolvePaymentMethod(p.str("payment_method"), "payment_method").path("id")
                    .asText());
            pi.put("status", "requires_confirmation");
        }
        if (p.has("payment_method_data")) {
            pi.put("payment_method", pmFromData(p.map("payment_method_data")).path("id").asText());
            pi.put("status", "requires_confirmation");
        }
        mergeMetadata(pi, p.stringMap("metadata"));
        return pi.deepCopy();
    }

    synchronized ObjectNode confirmPaymentIntent(String id, Params p, boolean publishable) {
        p.allow("payment_method", "payment_method_data[*]", "payment_method_data[card][*]",
                "payment_method_data[sepa_debit][*]", "payment_method_data[billing_details][*]", "payment_method_data[billing_details][address][*]",
                "return_url", "receipt_email", "client_secret", "capture_method", "setup_future_usage",
                "mandate_data[*]", "off_session", "error_on_requires_action", "use_stripe_sdk", "expand[]",
                "shipping[*]", "shipping[address][*]", "payment_method_options[*]", "payment_method_options[card][*]",
                "payment_method_types[]", "mandate_data[**]", "payment_method_options[**]", "shipping[**]",
                "radar_options[**]", "payment_method_data[**]", "confirmation_token", "payment_details[**]",
                "amount_details[**]", "hooks[**]");
        ObjectNode pi = pi(id, "intent");
        if (publishable || p.has("client_secret")) {
            checkClientSecret(pi, p.str("client_secret"));
        }
        String st = pi.path("status").asText();
        if (st.equals("succeeded")) {
            throw StripeError.state("You cannot confirm this PaymentIntent because it has already succeeded after "
                    + "being previously confirmed.").with("payment_intent", pi.deepCopy());
        }
        if (st.equals("canceled") || st.equals("requires_capture") || st.equals("processing")) {
            throw StripeError.state("You cannot confirm this PaymentIntent because it has a status of " + st + ".")
                    .with("payment_intent", pi.deepCopy());
        }
        if (sessionByPi.containsKey(id) && !publishable) {
            // Checkout owns its PaymentIntent
            throw StripeError.state("You cannot confirm this PaymentIntent because it was created by Checkout.");
        }
        if (p.has("payment_method")) {
            pi.put("payment_method", resolvePaymentMethod(p.str("payment_method"), "payment_method").path("id")
                    .asText());
        }
        if (p.has("payment_method_data")) {
            pi.put("payment_method", pmFromData(p.map("payment_method_data")).path("id").asText());
        }
        if (p.has("receipt_email")) {
            pi.put("receipt_email", p.str("receipt_email"));
        }
        if (p.has("capture_method")) {
            pi.put("capture_method", p.str("capture_method"));
        }
        if (pi.path("payment_method").isNull()) {
            throw StripeError.state("You cannot confirm this PaymentIntent because it's missing a payment method. "
                    + "To confirm the PaymentIntent, specify a payment method with the `payment_method` parameter.")
                    .with("payment_intent", pi.deepCopy());
        }
        if (!publishable) {
            requireReturnUrl(pi, p.str("return_url"));
        }
        doConfirm(pi, p.str("return_url"));
        return pi.deepCopy();
    }

    /** Stripe insists on a return_url when redirect-based payment methods are allowed. */
    private static void requireReturnUrl(ObjectNode pi, String returnUrl) {
        JsonNode apm = pi.path("automatic_payment_methods");
        if (returnUrl == null && apm.path("enabled").asBoolean(false)
                && !"never".equals(apm.path("allow_redirects").asText())) {
            throw StripeError.invalid("This PaymentIntent is configured to accept payment methods enabled in your "
                    + "Dashboard. Because some of these payment methods might redirect your customer off of your page, "
                    + "you must provide a `return_url`. If you don't want to accept redirect-based payment methods, "
                    + "set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods"
                    + "[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.", "return_url");
        }
    }

    /** Charges the intent's payment method; throws the card error (after recording it) on a decline. */
    private void doConfirm(ObjectNode pi, String returnUrl) {
        if (pi.path("payment_method").isNull()) {
            throw StripeError.state("You cannot confirm this PaymentIntent because it's missing a payment method.");
        }
        ObjectNode pm = get("payment_method", pi.path("payment_method").asText(), "payment_method");
        pi.putNull("last_payment_error");
        String pmType = pm.path("type").asText();
        if (pi.path("automatic_payment_methods").isNull()) {
            boolean allowed = false;
            for (JsonNode t : pi.path("payment_method_types")) {
                allowed |= t.asText().equals(pmType);
            }
            if (!allowed) {
                throw StripeError.invalid("The PaymentMethod provided (" + pmType + ") is not allowed for this "
                        + "PaymentIntent. Please attach a PaymentMethod of one of the following types: "
                        + String.join(", ", strings(pi.path("payment_method_types"))) + ".", "payment_method");
            }
        }
        if (pmType.equals("sepa_debit")) {
            debit(pi, pm);
            return;
        }
        Cards.Behaviour b = Cards.behaviour(pmNumbers.getOrDefault(pm.path("id").asText(), "4242424242424242"));
        if (b.threeDs) {
            ObjectNode before = pi.deepCopy();
            pi.put("status", "requires_action");
            ObjectNode na = Json.obj();
            na.put("type", "redirect_to_url");
            ObjectNode r = na.putObject("redirect_to_url");
            if (returnUrl == null) {
                r.putNull("return_url");
            } else {
                r.put("return_url", returnUrl);
            }
            r.put("url", host.baseUrl() + "/3ds/" + pi.path("id").asText() + "?client_secret="
                    + pi.path("client_secret").asText());
            pi.set("next_action", na);
            emit("payment_intent.requires_action", pi, Json.diff(before, pi));
            return;
        }
        StripeError err = charge(pi, pm, b.declines() ? b.declineCode : null);
        if (err != null) {
            throw err;
        }
    }

    /** Creates the charge; returns the card error when declined (state already updated), else null. */
    private StripeError charge(ObjectNode pi, ObjectNode pm, String declineCode) {
        String number = pmNumbers.getOrDefault(pm.path("id").asText(), "4242424242424242");
        Cards.Behaviour b = Cards.behaviour(number);
        ObjectNode before = pi.deepCopy();
        pi.putNull("next_action");
        boolean manual = pi.path("capture_method").asText().equals("manual");
        ObjectNode ch = newCharge(pi, pm, declineCode, manual);
        pi.put("latest_charge", ch.path("id").asText());
        if (declineCode != null) {
            String code = Cards.errorCode(declineCode);
            String message = Cards.message(declineCode);
            ObjectNode lpe = Json.obj();
            lpe.put("charge", ch.path("id").asText());
            lpe.put("code", code);
            lpe.put("decline_code", declineCode);
            lpe.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
            lpe.put("message", message);
            lpe.set("payment_method", pm.deepCopy());
            lpe.put("type", "card_error");
            pi.set("last_payment_error", lpe);
            pi.putNull("payment_method");
            pi.put("status", "requires_payment_method");
            emit("charge.failed", ch, null);
            emit("payment_intent.payment_failed", pi, Json.diff(before, pi));
            StripeError e = new StripeError(402, "card_error", code, declineCode, message, null);
            e.with("charge", Json.M.getNodeFactory().textNode(ch.path("id").asText()));
            e.with("payment_intent", pi.deepCopy());
            e.with("payment_method", pm.deepCopy());
            return e;
        }
        pi.put("payment_method", pm.path("id").asText());
        if (!pi.path("setup_future_usage").isNull() && !pi.path("customer").isNull()) {
            // saved for later, as Stripe does after a successful payment
            attach(pm, pi.path("customer").asText());
        }
        if (manual) {
            pi.put("status", "requires_capture");
            pi.put("amount_capturable", pi.path("amount").asLong());
            emit("charge.succeeded", ch, null);
            emit("payment_intent.amount_capturable_updated", pi, Json.diff(before, pi));
            completeSession(pi, "unpaid");
            String piId = pi.path("id").asText();
            // card authorizations expire after 7 days
            tasks.add(new Task(nowMillis() + 7L * 86400 * 1000, () -> expireAuthorization(piId)));
        } else {
            pi.put("status", "succeeded");
            pi.put("amount_received", pi.path("amount").asLong());
            emit("charge.succeeded", ch, null);
            emit("payment_intent.succeeded", pi, Json.diff(before, pi));
            onPaymentSucceeded(pi);
        }
        if (b.dispute) {
            String chId = ch.path("id").asText();
            later(() -> openDispute(chId));
        }
        return null;
    }

    private ObjectNode newCharge(ObjectNode pi, ObjectNode pm, String declineCode, boolean manual) {
        ObjectNode ch = Json.obj();
        long amount = pi.path("amount").asLong();
        boolean ok = declineCode == null;
        ch.put("id", Ids.id("ch"));
        ch.put("object", "charge");
        ch.put("amount", amount);
        ch.put("amount_captured", ok && !manual ? amount : 0);
        ch.put("amount_refunded", 0);
        ch.putNull("application");
        ch.putNull("application_fee");
        ch.putNull("application_fee_amount");
        if (ok) {
            ch.put("balance_transaction", manual ? null : Ids.id("txn"));
        } else {
            ch.putNull("balance_transaction");
        }
        ch.set("billing_details", pm.get("billing_details").deepCopy());
        ch.put("calculated_statement_descriptor", "BOOKSTORE");
        ch.put("captured", ok && !manual);
        ch.put("created", now());
        ch.put("currency", pi.path("currency").asText());
        ch.set("customer", pi.get("customer").deepCopy());
        ch.set("description", pi.get("description").deepCopy());
        ch.put("disputed", false);
        ch.putNull("failure_balance_transaction");
        if (ok) {
            ch.putNull("failure_code");
            ch.putNull("failure_message");
        } else {
            ch.put("failure_code", Cards.errorCode(declineCode));
            ch.put("failure_message", Cards.message(declineCode));
        }
        ch.putObject("fraud_details");
        ch.put("livemode", false);
        ch.set("metadata", pi.get("metadata").deepCopy());
        ch.putNull("on_behalf_of");
        ObjectNode out = ch.putObject("outcome");
        out.putNull("advice_code");
        out.putNull("network_advice_code");
        out.putNull("network_decline_code");
        if (ok) {
            out.put("network_status", "approved_by_network");
            out.putNull("reason");
            out.put("risk_level", "normal");
            out.put("risk_score", 32);
            out.put("seller_message", "Payment complete.");
            out.put("type", "authorized");
        } else if (declineCode.equals("fraudulent")) {
            out.put("network_status", "not_sent_to_network");
            out.put("reason", "highest_risk_level");
            out.put("risk_level", "highest");
            out.put("risk_score", 95);
            out.put("seller_message", "Stripe blocked this payment as too risky.");
            out.put("type", "blocked");
        } else {
            out.put("network_status", "declined_by_network");
            out.put("reason", declineCode);
            out.put("risk_level", "normal");
            out.put("risk_score", 40);
            out.put("seller_message", "The bank did not return any further details with this decline.");
            out.put("type", "issuer_declined");
        }
        ch.put("paid", ok);
        ch.put("payment_intent", pi.path("id").asText());
        ch.put("payment_method", pm.path("id").asText());
        ObjectNode pmd = ch.putObject("payment_method_details");
        ObjectNode card = pmd.putObject("card");
        JsonNode pc = pm.has("card") ? pm.get("card") : Json.obj();
        card.putNull("amount_authorized");
        if (ok) {
            card.put("amount_authorized", amount);
        }
        card.set("authorization_code", null);
        card.set("brand", pc.get("brand"));
        ObjectNode checks = card.putObject("checks");
        checks.putNull("address_line1_check");
        checks.putNull("address_postal_code_check");
        checks.put("cvc_check", "pass");
        card.set("country", pc.get("country"));
        card.set("exp_month", pc.get("exp_month"));
        card.set("exp_year", pc.get("exp_year"));
        card.putObject("extended_authorization").put("status", "disabled");
        card.set("fingerprint", pc.get("fingerprint"));
        card.set("funding", pc.get("funding"));
        card.putObject("incremental_authorization").put("status", "unavailable");
        card.putNull("installments");
        card.set("last4", pc.get("last4"));
        card.putNull("mandate");
        card.putObject("multicapture").put("status", "unavailable");
        card.set("network", pc.get("brand"));
        card.putObject("network_token").put("used", false);
        card.put("network_transaction_id", Ids.random(15));
        ObjectNode oc = card.putObject("overcapture");
        oc.put("maximum_amount_capturable", amount);
        oc.put("status", "unavailable");
        card.put("regulated_status", "unregulated");
        if (chargingAfterAuthentication) {
            ObjectNode tds = card.putObject("three_d_secure");
            tds.put("authentication_flow", "challenge");
            tds.put("electronic_commerce_indicator", "05");
            tds.putNull("exemption_indicator");
            tds.put("result", "authenticated");
            tds.putNull("result_reason");
            tds.put("transaction_id", java.util.UUID.randomUUID().toString());
            tds.put("version", "2.2.0");
        } else {
            card.putNull("three_d_secure");
        }
        card.putNull("transaction_link_id");
        card.putNull("wallet");
        pmd.put("type", "card");
        ch.set("receipt_email", pi.get("receipt_email").deepCopy());
        ch.putNull("receipt_number");
        ch.put("receipt_url", host.baseUrl() + "/receipts/" + ch.path("id").asText());
        ch.put("refunded", false);
        ch.putNull("review");
        ch.set("shipping", pi.get("shipping").deepCopy());
        ch.putNull("source");
        ch.putNull("source_transfer");
        ch.putNull("statement_descriptor");
        ch.putNull("statement_descriptor_suffix");
        ch.put("status", ok ? "succeeded" : "failed");
        ch.putNull("transfer_data");
        ch.putNull("transfer_group");
        store(ch);
        return ch;
    }

    private void expireAuthorization(String piId) {
        ObjectNode pi = table("payment_intent").get(piId);
        if (pi == null || !pi.path("status").asText().equals("requires_capture")) {
            return;
        }
        ObjectNode ch = table("charge").get(pi.path("latest_charge").asText());
        ObjectNode before = pi.deepCopy();
        if (ch != null) {
            ObjectNode chBefore = ch.deepCopy();
            ch.put("amount_refunded", ch.path("amount").asLong());
            ch.put("refunded", true);
            emit("charge.expired", ch, Json.diff(chBefore, ch));
        }
        pi.put("status", "canceled");
        pi.put("canceled_at", now());
        pi.put("cancellation_reason", "automatic");
        pi.put("amount_capturable", 0);
        emit("payment_intent.canceled", pi, Json.diff(before, pi));
    }

    synchronized ObjectNode capturePaymentIntent(String id, Params p) {
        p.allow("amount_to_capture", "metadata[*]", "expand[]", "statement_descriptor",
                "statement_descriptor_suffix", "final_capture", "application_fee_amount");
        ObjectNode pi = pi(id, "intent");
        if (!pi.path("status").asText().equals("requires_capture")) {
            throw StripeError.state("This PaymentIntent could not be captured because it has a status of "
                    + pi.path("status").asText() + ". Only a PaymentIntent with one of the following statuses may be "
                    + "captured: requires_capture.").with("payment_intent", pi.deepCopy());
        }
        long capturable = pi.path("amount_capturable").asLong();
        Long amt = p.lng("amount_to_capture");
        long amount = amt == null ? capturable : amt;
        if (amount > capturable) {
            throw StripeError.invalid("amount_too_large", "The amount to capture (" + amount + ") is greater than "
                    + "the amount capturable (" + capturable + ").", "amount_to_capture");
        }
        ObjectNode before = pi.deepCopy();
        ObjectNode ch = get("charge", pi.path("latest_charge").asText(), "charge");
        ObjectNode chBefore = ch.deepCopy();
        ch.put("captured", true);
        ch.put("amount_captured", amount);
        ch.put("balance_transaction", Ids.id("txn"));
        if (amount < ch.path("amount").asLong()) {
            ch.put("amount_refunded", ch.path("amount").asLong() - amount);
        }
        mergeMetadata(pi, p.stringMap("metadata"));
        pi.put("status", "succeeded");
        pi.put("amount_capturable", 0);
        pi.put("amount_received", amount);
        emit("charge.captured", ch, Json.diff(chBefore, ch));
        emit("payment_intent.succeeded", pi, Json.diff(before, pi));
        onPaymentSucceeded(pi);
        return pi.deepCopy();
    }

    synchronized ObjectNode cancelPaymentIntent(String id, Params p) {
        p.allow("cancellation_reason", "expand[]");
        ObjectNode pi = pi(id, "intent");
        String st = pi.path("status").asText();
        if (!(st.equals("requires_payment_method") || st.equals("requires_capture")
                || st.equals("requires_confirmation") || st.equals("requires_action") || st.equals("processing"))) {
            throw StripeError.state("You cannot cancel this PaymentIntent because it has a status of " + st
                    + ". Only a PaymentIntent with one of the following statuses may be canceled: "
                    + "requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.")
                    .with("payment_intent", pi.deepCopy());
        }
        String sessionId = sessionByPi.get(id);
        if (sessionId != null && table("checkout.session").get(sessionId).path("status").asText().equals("open")) {
            throw StripeError.state("You cannot cancel this PaymentIntent because it was created by Checkout. "
                    + "Expire the Checkout Session instead.");
        }
        String reason = p.str("cancellation_reason");
        if (reason != null) {
            checkEnum(reason, "cancellation_reason", "duplicate", "fraudulent", "requested_by_customer",
                    "abandoned");
        }
        ObjectNode before = pi.deepCopy();
        if (st.equals("requires_capture")) {
            ObjectNode ch = get("charge", pi.path("latest_charge").asText(), "charge");
            ObjectNode chBefore = ch.deepCopy();
            ch.put("amount_refunded", ch.path("amount").asLong());
            ch.put("refunded", true);
            emit("charge.refunded", ch, Json.diff(chBefore, ch));
        }
        pi.put("status", "canceled");
        pi.put("canceled_at", now());
        pi.put("amount_capturable", 0);
        pi.putNull("next_action");
        if (reason == null) {
            pi.putNull("cancellation_reason");
        } else {
            pi.put("cancellation_reason", reason);
        }
        emit("payment_intent.canceled", pi, Json.diff(before, pi));
        return pi.deepCopy();
    }

    synchronized ObjectNode listPaymentIntents(Params p) {
        p.allow("limit", "starting_after", "ending_before", "customer", "created", "created[*]", "expand[]");
        String customer = p.str("customer");
        return list("payment_intent", "/v1/payment_intents", p,
                o -> customer == null || customer.equals(o.path("customer").asText()));
    }

    // ------------------------------------------------------------------ 3-D Secure

    synchronized ObjectNode paymentIntentForAuth(String id, String clientSecret) {
        ObjectNode pi = pi(id, "intent");
        checkClientSecret(pi, clientSecret);
        return pi.deepCopy();
    }

    /** Set while charging right after a completed 3-D Secure authentication. */
    private boolean chargingAfterAuthentication;

    /** Completes or fails the pending authentication; returns the intent afterwards. */
    synchronized ObjectNode authenticate(String id, String clientSecret, boolean success) {
        ObjectNode pi = pi(id, "intent");
        checkClientSecret(pi, clientSecret);
        if (!pi.path("status").asText().equals("requires_action")) {
            return pi.deepCopy();
        }
        ObjectNode pm = get("payment_method", pi.path("payment_method").asText(), "payment_method");
        if (success) {
            Cards.Behaviour b = Cards.behaviour(pmNumbers.getOrDefault(pm.path("id").asText(), ""));
            chargingAfterAuthentication = true;
            try {
                charge(pi, pm, b.afterAuthDecline);
            } finally {
                chargingAfterAuthentication = false;
            }
        } else {
            ObjectNode before = pi.deepCopy();
            ObjectNode lpe = Json.obj();
            lpe.put("code", "payment_intent_authentication_failure");
            lpe.put("doc_url", "https://stripe.com/docs/error-codes/payment-intent-authentication-failure");
            lpe.put("message", "The provided PaymentMethod has failed authentication. You can provide "
                    + "payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.");
            lpe.set("payment_method", pm.deepCopy());
            lpe.put("type", "invalid_request_error");
            pi.set("last_payment_error", lpe);
            pi.putNull("next_action");
            pi.putNull("payment_method");
            pi.put("status", "requires_payment_method");
            emit("payment_intent.payment_failed", pi, Json.diff(before, pi));
        }
        return pi.deepCopy();
    }

    String returnUrlFor(ObjectNode pi) {
        JsonNode na = pi.path("next_action").path("redirect_to_url").path("return_url");
        return na.isTextual() ? na.asText() : null;
    }

    synchronized String sessionOf(String piId) {
        return sessionByPi.get(piId);
    }

    // ------------------------------------------------------------------ charges

    synchronized ObjectNode retrieveCharge(String id) {
        return get("charge", id, "id").deepCopy();
    }

    synchronized ObjectNode updateCharge(String id, Params p) {
        p.allow("description", "metadata[*]", "receipt_email", "shipping[*]", "shipping[address][*]",
                "fraud_details[*]", "transfer_group", "expand[]", "customer");
        ObjectNode ch = get("charge", id, "id");
        ObjectNode before = ch.deepCopy();
        if (p.has("description")) {
            ch.put("description", p.str("description"));
        }
        if (p.has("receipt_email")) {
            ch.put("receipt_email", p.str("receipt_email"));
        }
        mergeMetadata(ch, p.stringMap("metadata"));
        updated("charge.updated", ch, before);
        return ch.deepCopy();
    }

    synchronized ObjectNode listCharges(Params p) {
        p.allow("limit", "starting_after", "ending_before", "customer", "payment_intent", "created", "created[*]",
                "expand[]", "transfer_group");
        String customer = p.str("customer");
        String pi = p.str("payment_intent");
        return list("charge", "/v1/charges", p, o -> (customer == null || customer.equals(o.path("customer").asText()))
                && (pi == null || pi.equals(o.path("payment_intent").asText())));
    }

    // ------------------------------------------------------------------ refunds

    synchronized ObjectNode createRefund(Params p) {
        p.allow("charge", "payment_intent", "amount", "reason", "metadata[*]", "expand[]", "instructions_email",
                "refund_application_fee", "reverse_transfer", "origin", "currency", "customer");
        ObjectNode ch;
        if (p.has("charge")) {
            ch = get("charge", p.str("charge"), "charge");
        } else if (p.has("payment_intent")) {
            ObjectNode pi = pi(p.str("payment_intent"), "payment_intent");
            if (pi.path("latest_charge").isNull() || !pi.path("status").asText().equals("succeeded")) {
                throw StripeError.invalid("This PaymentIntent does not have a successful charge to refund.",
                        "payment_intent");
            }
            ch = get("charge", pi.path("latest_charge").asText(), "payment_intent");
        } else {
            throw StripeError.invalid("One of the following params should be provided for this request: "
                    + "payment_intent or charge.", null);
        }
        if (!ch.path("status").asText().equals("succeeded") || !ch.path("captured").asBoolean()) {
            throw StripeError.invalid("charge_not_refundable", "Charge " + ch.path("id").asText()
                    + " cannot be refunded because it has not been captured.", "charge");
        }
        long remaining = ch.path("amount_captured").asLong() - ch.path("amount_refunded").asLong();
        if (ch.path("refunded").asBoolean() || remaining <= 0) {
            throw StripeError.invalid("charge_already_refunded", "Charge " + ch.path("id").asText()
                    + " has already been refunded.", "charge");
        }
        if (ch.path("disputed").asBoolean()) {
            throw StripeError.invalid("charge_disputed", "Charge " + ch.path("id").asText()
                    + " has been charged back; cannot issue a refund.", "charge");
        }
        Long amt = p.lng("amount");
        long amount = amt == null ? remaining : amt;
        String cur = ch.path("currency").asText();
        if (amount <= 0) {
            throw StripeError.invalid("Invalid positive integer", "amount");
        }
        if (amount > remaining) {
            throw StripeError.invalid("amount_too_large", "Refund amount (" + Money.format(amount, cur)
                    + ") is greater than unrefunded amount on charge (" + Money.format(remaining, cur) + ")", "amount");
        }
        String reason = p.str("reason");
        if (reason != null) {
            checkEnum(reason, "reason", "duplicate", "fraudulent", "requested_by_customer");
        }
        Cards.Behaviour b = Cards.behaviour(pmNumbers.getOrDefault(ch.path("payment_method").asText(), ""));
        ObjectNode r = Json.obj();
        r.put("id", Ids.id("re"));
        r.put("object", "refund");
        r.put("amount", amount);
        r.put("balance_transaction", Ids.id("txn"));
        r.put("charge", ch.path("id").asText());
        r.put("created", now());
        r.put("currency", cur);
        ObjectNode dd = r.putObject("destination_details");
        ObjectNode ddc = dd.putObject("card");
        ddc.putNull("reference");
        ddc.put("reference_status", "pending");
        ddc.putNull("reference_type");
        ddc.put("type", "refund");
        dd.put("type", "card");
        r.putObject("metadata");
        mergeMetadata(r, p.stringMap("metadata"));
        r.set("customer", ch.get("customer").deepCopy());
        r.putNull("customer_account");
        r.set("payment_intent", ch.get("payment_intent").deepCopy());
        r.set("payment_method", ch.get("payment_method").deepCopy());
        if (reason == null) {
            r.putNull("reason");
        } else {
            r.put("reason", reason);
        }
        r.putNull("receipt_number");
        r.putNull("source_transfer_reversal");
        r.put("status", "pending".equals(b.refund) ? "pending" : "succeeded");
        r.putNull("transfer_reversal");
        store(r);
        ObjectNode chBefore = ch.deepCopy();
        ch.put("amount_refunded", ch.path("amount_refunded").asLong() + amount);
        ch.put("refunded", ch.path("amount_refunded").asLong() >= ch.path("amount_captured").asLong());
        emit("refund.created", r, null);
        emit("charge.refunded", ch, Json.diff(chBefore, ch));
        String rid = r.path("id").asText();
        if ("pending".equals(b.refund)) {
            later(() -> refundTransition(rid, "succeeded"));
        } else if ("fail".equals(b.refund)) {
            later(() -> refundTransition(rid, "failed"));
        }
        return r.deepCopy();
    }

    private void refundTransition(String refundId, String status) {
        ObjectNode r = table("refund").get(refundId);
        if (r == null) {
            return;
        }
        ObjectNode before = r.deepCopy();
        r.put("status", status);
        if (status.equals("failed")) {
            r.put("failure_reason", "expired_or_canceled_card");
            r.put("failure_balance_transaction", Ids.id("txn"));
            ObjectNode ch = table("charge").get(r.path("charge").asText());
            if (ch != null) {
                ch.put("amount_refunded", Math.max(0, ch.path("amount_refunded").asLong() - r.path("amount").asLong()));
                ch.put("refunded", false);
            }
            ObjectNode prev = Json.diff(before, r);
            emit("refund.failed", r, prev);
            emit("refund.updated", r, prev);
            emit("charge.refund.updated", r, prev);
        } else {
            ObjectNode prev = Json.diff(before, r);
            emit("refund.updated", r, prev);
            emit("charge.refund.updated", r, prev);
        }
    }

    synchronized ObjectNode retrieveRefund(String id) {
        return get("refund", id, "id").deepCopy();
    }

    synchronized ObjectNode updateRefund(String id, Params p) {
        p.allow("metadata[*]", "expand[]");
        ObjectNode r = get("refund", id, "id");
        ObjectNode before = r.deepCopy();
        mergeMetadata(r, p.stringMap("metadata"));
        ObjectNode prev = Json.diff(before, r);
        if (prev.size() > 0) {
            emit("refund.updated", r, prev);
            emit("charge.refund.updated", r, prev);
        }
        return r.deepCopy();
    }

    synchronized ObjectNode cancelRefund(String id, Params p) {
        p.allow("expand[]");
        ObjectNode r = get("refund", id, "id");
        if (!r.path("status").asText().equals("requires_action")) {
            throw StripeError.invalid("Refund " + id + " cannot be canceled because it has a status of "
                    + r.path("status").asText() + ". Only a refund with a status of `requires_action` can be "
                    + "canceled.", null);
        }
        ObjectNode before = r.deepCopy();
        r.put("status", "canceled");
        ObjectNode ch = table("charge").get(r.path("charge").asText());
        if (ch != null) {
            ch.put("amount_refunded", Math.max(0, ch.path("amount_refunded").asLong() - r.path("amount").asLong()));
            ch.put("refunded", false);
        }
        ObjectNode prev = Json.diff(before, r);
        emit("refund.updated", r, prev);
        emit("charge.refund.updated", r, prev);
        return r.deepCopy();
    }

    synchronized ObjectNode listRefunds(Params p, String chargeFromPath) {
        p.allow("limit", "starting_after", "ending_before", "charge", "payment_intent", "created", "created[*]",
                "expand[]");
        String charge = chargeFromPath != null ? chargeFromPath : p.str("charge");
        String pi = p.str("payment_intent");
        String url = chargeFromPath != null ? "/v1/charges/" + chargeFromPath + "/refunds" : "/v1/refunds";
        return list("refund", url, p, o -> (charge == null || charge.equals(o.path("charge").asText()))
                && (pi == null || pi.equals(o.path("payment_intent").asText())));
    }

    // ------------------------------------------------------------------ disputes

    private void openDispute(String chargeId) {
        ObjectNode ch = table("charge").get(chargeId);
        if (ch == null) {
            return;
        }
        ObjectNode d = Json.obj();
        d.put("id", Ids.id("dp"));
        d.put("object", "dispute");
        d.put("amount", ch.path("amount_captured").asLong());
        d.putArray("balance_transactions");
        d.put("charge", chargeId);
        d.put("created", now());
        d.put("currency", ch.path("currency").asText());
        d.putArray("enhanced_eligibility_types");
        ObjectNode ev = d.putObject("evidence");
        for (String f : new String[] {"access_activity_log", "billing_address", "cancellation_policy",
            "cancellation_policy_disclosure", "cancellation_rebuttal", "customer_communication",
            "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature",
            "duplicate_charge_documentation", "duplicate_charge_explanation", "duplicate_charge_id",
            "product_description", "receipt", "refund_policy", "refund_policy_disclosure",
            "refund_refusal_explanation", "service_date", "service_documentation", "shipping_address",
            "shipping_carrier", "shipping_date", "shipping_documentation", "shipping_tracking_number",
            "uncategorized_file", "uncategorized_text"}) {
            ev.putNull(f);
        }
        ev.putObject("enhanced_evidence");
        ObjectNode ed = d.putObject("evidence_details");
        ed.put("due_by", now() + 7 * 86400);
        ed.putObject("enhanced_eligibility");
        ed.put("has_evidence", false);
        ed.put("past_due", false);
        ed.put("submission_count", 0);
        d.put("is_charge_refundable", false);
        d.put("livemode", false);
        d.putObject("metadata");
        d.set("payment_intent", ch.get("payment_intent").deepCopy());
        ObjectNode pmd = d.putObject("payment_method_details");
        ObjectNode c = pmd.putObject("card");
        c.set("brand", ch.path("payment_method_details").path("card").get("brand"));
        c.put("case_type", "chargeback");
        c.put("network_reason_code", "10.4");
        pmd.put("type", "card");
        d.put("reason", "fraudulent");
        d.put("status", "needs_response");
        store(d);
        ch.put("disputed", true);
        emit("charge.dispute.created", d, null);
        ((ArrayNode) d.get("balance_transactions")).add(balanceTransaction(-d.path("amount").asLong(),
                d.path("currency").asText(), "adjustment", "Chargeback withdrawal for " + chargeId));
        emit("charge.dispute.funds_withdrawn", d, null);
    }

    private ObjectNode balanceTransaction(long amount, String currency, String type, String description) {
        ObjectNode t = Json.obj();
        t.put("id", Ids.id("txn"));
        t.put("object", "balance_transaction");
        t.put("amount", amount);
        t.put("available_on", now() + 2 * 86400);
        t.putNull("balance_type");
        t.put("created", now());
        t.put("currency", currency);
        t.put("description", description);
        t.putNull("exchange_rate");
        t.put("fee", amount < 0 ? 1500 : -1500);
        t.putArray("fee_details");
        t.put("net", amount < 0 ? amount - 1500 : amount + 1500);
        t.put("reporting_category", "dispute");
        t.putNull("source");
        t.put("status", "pending");
        t.put("type", type);
        return t;
    }

    synchronized ObjectNode retrieveDispute(String id) {
        return get("dispute", id, "id").deepCopy();
    }

    synchronized ObjectNode updateDispute(String id, Params p) {
        p.allow("evidence[*]", "metadata[*]", "submit", "expand[]", "evidence[enhanced_evidence][*]");
        ObjectNode d = get("dispute", id, "id");
        String st = d.path("status").asText();
        if (st.equals("won") || st.equals("lost")) {
            throw StripeError.invalid("This dispute is already closed.", null);
        }
        ObjectNode before = d.deepCopy();
        Map<String, Object> ev = p.map("evidence");
        if (ev != null) {
            ObjectNode e = (ObjectNode) d.get("evidence");
            for (Map.Entry<String, Object> x : ev.entrySet()) {
                if (!e.has(x.getKey())) {
                    throw StripeError.unknown("evidence[" + x.getKey() + "]");
                }
                if (x.getValue() instanceof String) {
                    e.put(x.getKey(), (String) x.getValue());
                }
            }
            ((ObjectNode) d.get("evidence_details")).put("has_evidence", true);
        }
        mergeMetadata(d, p.stringMap("metadata"));
        Boolean submit = p.bool("submit");
        if (submit == null || submit) {
            ObjectNode ed = (ObjectNode) d.get("evidence_details");
            ed.put("submission_count", ed.path("submission_count").asInt() + 1);
            d.put("status", "under_review");
            String text = d.path("evidence").path("uncategorized_text").asText("");
            String did = d.path("id").asText();
            if (text.contains("winning_evidence")) {
                later(() -> closeDispute(did, "won"));
            } else if (text.contains("losing_evidence")) {
                later(() -> closeDispute(did, "lost"));
            }
        }
        updated("charge.dispute.updated", d, before);
        return d.deepCopy();
    }

    private void closeDispute(String id, String status) {
        ObjectNode d = table("dispute").get(id);
        if (d == null || d.path("status").asText().equals("won") || d.path("status").asText().equals("lost")) {
            return;
        }
        ObjectNode before = d.deepCopy();
        d.put("status", status);
        if (status.equals("won")) {
            ((ArrayNode) d.get("balance_transactions")).add(balanceTransaction(d.path("amount").asLong(),
                    d.path("currency").asText(), "adjustment", "Chargeback reversal for " + d.path("charge").asText()));
            emit("charge.dispute.funds_reinstated", d, null);
        }
        emit("charge.dispute.closed", d, Json.diff(before, d));
    }

    synchronized ObjectNode closeDispute(String id, Params p) {
        p.allow("expand[]");
        ObjectNode d = get("dispute", id, "id");
        String st = d.path("status").asText();
        if (st.equals("won") || st.equals("lost")) {
            throw StripeError.invalid("This dispute is already closed.", null);
        }
        closeDispute(id, "lost");
        return d.deepCopy();
    }

    synchronized ObjectNode listDisputes(Params p) {
        p.allow("limit", "starting_after", "ending_before", "charge", "payment_intent", "created", "created[*]",
                "expand[]");
        String charge = p.str("charge");
        String pi = p.str("payment_intent");
        return list("dispute", "/v1/disputes", p, o -> (charge == null || charge.equals(o.path("charge").asText()))
                && (pi == null || pi.equals(o.path("payment_intent").asText())));
    }

    // ------------------------------------------------------------------ webhook endpoints

    synchronized ObjectNode createWebhookEndpoint(Params p) {
        p.allow("url", "enabled_events[]", "api_version", "description", "metadata[*]", "connect", "expand[]");
        String url = p.req("url");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw StripeError.invalid("Invalid URL: " + url, "url");
        }
        List<String> events = p.strings("enabled_events");
        if (!p.has("enabled_events")) {
            throw StripeError.missing("enabled_events");
        }
        validateEvents(events);
        ObjectNode we = Json.obj();
        we.put("id", Ids.id("we"));
        we.put("object", "webhook_endpoint");
        if (p.has("api_version")) {
            we.put("api_version", p.str("api_version"));
        } else {
            we.putNull("api_version");
        }
        we.putNull("application");
        we.put("created", now());
        if (p.has("description")) {
            we.put("description", p.str("description"));
        } else {
            we.putNull("description");
        }
        ArrayNode ev = we.putArray("enabled_events");
        events.forEach(ev::add);
        we.put("livemode", false);
        we.putObject("metadata");
        mergeMetadata(we, p.stringMap("metadata"));
        we.put("status", "enabled");
        we.put("url", url);
        store(we);
        String secret = "whsec_" + Ids.random(32);
        endpointSecrets.put(we.path("id").asText(), secret);
        ObjectNode out = we.deepCopy();
        out.put("secret", secret);
        return out;
    }

    private static void validateEvents(List<String> events) {
        for (int i = 0; i < events.size(); i++) {
            String e = events.get(i);
            if (!e.equals("*") && !e.matches("[a-z_]+(\\.[a-z_]+)*(\\.\\*)?")) {
                throw StripeError.invalid("Invalid enabled_events[" + i + "]: " + e, "enabled_events[" + i + "]");
            }
        }
    }

    synchronized ObjectNode retrieveWebhookEndpoint(String id) {
        return get("webhook_endpoint", id, "id").deepCopy();
    }

    synchronized ObjectNode updateWebhookEndpoint(String id, Params p) {
        p.allow("url", "enabled_events[]", "description", "metadata[*]", "disabled", "expand[]");
        ObjectNode we = get("webhook_endpoint", id, "id");
        if (p.has("url")) {
            we.put("url", p.req("url"));
        }
        if (p.has("enabled_events")) {
            List<String> events = p.strings("enabled_events");
            validateEvents(events);
            ArrayNode ev = we.putArray("enabled_events");
            events.forEach(ev::add);
        }
        if (p.has("description")) {
            we.put("description", p.str("description"));
        }
        if (p.has("disabled")) {
            we.put("status", p.bool("disabled") ? "disabled" : "enabled");
        }
        mergeMetadata(we, p.stringMap("metadata"));
        return we.deepCopy();
    }

    synchronized ObjectNode deleteWebhookEndpoint(String id) {
        get("webhook_endpoint", id, "id");
        table("webhook_endpoint").remove(id);
        tableOf.remove(id);
        endpointSecrets.remove(id);
        ObjectNode d = Json.obj();
        d.put("id", id);
        d.put("object", "webhook_endpoint");
        d.put("deleted", true);
        return d;
    }

    synchronized ObjectNode listWebhookEndpoints(Params p) {
        p.allow("limit", "starting_after", "ending_before", "expand[]");
        return list("webhook_endpoint", "/v1/webhook_endpoints", p, o -> true);
    }

    // ------------------------------------------------------------------ checkout sessions

    private static final String[] SESSION_CREATE = {"mode", "line_items[][price]", "line_items[][quantity]",
        "line_items[][price_data][currency]", "line_items[][price_data][unit_amount]",
        "line_items[][price_data][unit_amount_decimal]", "line_items[][price_data][product]",
        "line_items[][price_data][tax_behavior]", "line_items[][price_data][product_data][name]",
        "line_items[][price_data][product_data][description]", "line_items[][price_data][product_data][images][]",
        "line_items[][price_data][product_data][metadata][*]", "line_items[][price_data][product_data][tax_code]",
        "line_items[][adjustable_quantity][*]", "line_items[][tax_rates][]", "success_url", "cancel_url",
        "return_url", "client_reference_id", "metadata[*]", "payment_intent_data[metadata][*]",
        "payment_intent_data[description]", "payment_intent_data[capture_method]",
        "payment_intent_data[receipt_email]", "payment_intent_data[setup_future_usage]",
        "payment_intent_data[statement_descriptor]", "payment_intent_data[statement_descriptor_suffix]",
        "payment_intent_data[shipping][*]", "customer", "customer_email", "customer_creation", "expires_at",
        "payment_method_types[]", "ui_mode", "locale", "submit_type", "billing_address_collection",
        "allow_promotion_codes", "expand[]", "currency", "phone_number_collection[*]",
        "shipping_address_collection[allowed_countries][]", "automatic_tax[*]", "custom_text[*]",
        "custom_text[*][*]", "consent_collection[*]", "invoice_creation[*]", "payment_method_options[*]",
        "payment_method_options[card][*]", "redirect_on_completion",
        // accepted and ignored
        "adaptive_pricing[**]", "after_expiration[**]", "branding_settings[**]", "customer_update[**]",
        "excluded_payment_method_types[]", "integration_identifier", "name_collection[**]", "optional_items[**]",
        "origin_context", "payment_method_collection", "payment_method_configuration", "payment_method_data[**]",
        "permissions[**]", "saved_payment_method_options[**]", "tax_id_collection[**]", "wallet_options[**]",
        "discounts[**]", "shipping_options[**]", "custom_fields[**]", "payment_intent_data[transfer_group]",
        "payment_intent_data[on_behalf_of]", "payment_intent_data[transfer_data][**]",
        "payment_intent_data[application_fee_amount]", "payment_method_options[**]", "consent_collection[**]",
        "invoice_creation[**]", "custom_text[**]", "automatic_tax[**]"};

    synchronized ObjectNode createCheckoutSession(Params p) {
        p.allow(SESSION_CREATE);
        String mode = p.req("mode");
        if (!mode.equals("payment")) {
            checkEnum(mode, "mode", "payment", "setup", "subscription");
            throw StripeError.invalid("The emulator supports only `mode=payment`.", "mode");
        }
        String uiMode = p.str("ui_mode") == null ? "hosted_page" : p.str("ui_mode");
        checkEnum(uiMode, "ui_mode", "hosted_page", "embedded_page", "elements", "form");
        List<Object> items = p.list("line_items");
        if (items == null || items.isEmpty()) {
            throw StripeError.invalid("line_items is required in `payment` mode.", "line_items");
        }
        String customer = p.str("customer");
        if (customer != null) {
            get("customer", customer, "customer");
            if (p.has("customer_email")) {
                throw StripeError.invalid("You may only specify one of these parameters: customer, customer_email.",
                        "customer_email");
            }
        }
        long created = now();
        long expiresAt = created + 86400;
        if (p.has("expires_at")) {
            expiresAt = p.reqLong("expires_at");
            if (expiresAt < created + 1800) {
                throw StripeError.invalid("The `expires_at` timestamp must be at least 30 minutes from Checkout "
                        + "Session creation.", "expires_at");
            }
            if (expiresAt > created + 86400) {
                throw StripeError.invalid("The `expires_at` timestamp must be less than 24 hours from Checkout "
                        + "Session creation.", "expires_at");
            }
        }
        String successUrl = p.str("success_url");
        if (uiMode.equals("hosted_page") && successUrl == null) {
            throw StripeError.missing("success_url");
        }
        for (String f : new String[] {"success_url", "cancel_url", "return_url"}) {
            String u = p.str(f);
            if (u != null && !u.matches("(?i)https?://[^\\s]+")) {
                throw StripeError.invalid("url_invalid", "Not a valid URL", f);
            }
        }
        // line items
        ArrayNode lis = Json.arr();
        String currency = null;
        long total = 0;
        for (int i = 0; i < items.size(); i++) {
            String prefix = "line_items[" + i + "]";
            if (!(items.get(i) instanceof Map)) {
                throw StripeError.invalid("Invalid object", prefix);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> li = (Map<String, Object>) items.get(i);
            Long qty = Params.lng(li, "quantity", prefix + "[quantity]");
            if (qty == null) {
                throw StripeError.missing(prefix + "[quantity]");
            }
            if (qty < 1 || qty > 999999) {
                throw StripeError.invalid("Quantity must be between 1 and 999999.", prefix + "[quantity]");
            }
            ObjectNode price;
            if (li.containsKey("price")) {
                price = get("price", Params.str(li, "price"), prefix + "[price]");
                if (!price.path("type").asText().equals("one_time")) {
                    throw StripeError.invalid("You specified `payment` mode but passed a recurring price. Either "
                            + "switch to `subscription` mode or use only one-time prices.", prefix + "[price]");
                }
                if (!price.path("active").asBoolean()) {
                    throw StripeError.invalid("The price specified is inactive. This field only accepts active "
                            + "prices.", prefix + "[price]");
                }
            } else if (li.containsKey("price_data")) {
                Map<String, Object> pd = Params.map(li, "price_data");
                String cur = Params.str(pd, "currency");
                if (cur == null) {
                    throw StripeError.missing(prefix + "[price_data][currency]");
                }
                cur = cur.toLowerCase();
                Money.validateCurrency(cur, prefix + "[price_data][currency]");
                Long ua = Params.lng(pd, "unit_amount", prefix + "[price_data][unit_amount]");
                if (ua == null && Params.str(pd, "unit_amount_decimal") != null) {
                    ua = new java.math.BigDecimal(Params.str(pd, "unit_amount_decimal")).longValue();
                }
                if (ua == null) {
                    throw StripeError.missing(prefix + "[price_data][unit_amount]");
                }
                String productId;
                if (pd.containsKey("product")) {
                    productId = get("product", Params.str(pd, "product"), prefix + "[price_data][product]")
                            .path("id").asText();
                } else {
                    Map<String, Object> prod = Params.map(pd, "product_data");
                    if (prod == null) {
                        throw StripeError.invalid("You must specify either `product` or `product_data` when "
                                + "creating a price.", prefix + "[price_data][product_data]");
                    }
                    String name = Params.str(prod, "name");
                    if (name == null || name.isEmpty()) {
                        throw StripeError.missing(prefix + "[price_data][product_data][name]");
                    }
                    Map<String, Object> rest = new LinkedHashMap<>(prod);
                    rest.remove("name");
                    rest.remove("tax_code");
                    productId = newProduct(name, Params.of(rest), false).path("id").asText();
                }
                price = newPrice(cur, ua, productId, null, false);
            } else {
                throw StripeError.invalid("You must specify either `price` or `price_data` in each line item.",
                        prefix);
            }
            String cur = price.path("currency").asText();
            if (currency == null) {
                currency = cur;
            } else if (!currency.equals(cur)) {
                throw StripeError.invalid("All line items must use the same currency.", prefix);
            }
            long amount = price.path("unit_amount").asLong() * qty;
            total += amount;
            ObjectNode item = Json.obj();
            item.put("id", "li_" + Ids.random(24));
            item.put("object", "item");
            item.putNull("adjustable_quantity");
            item.put("amount_discount", 0);
            item.put("amount_subtotal", amount);
            item.put("amount_tax", 0);
            item.put("amount_total", amount);
            item.put("currency", cur);
            ObjectNode product = table("product").get(price.path("product").asText());
            item.put("description", product == null ? "" : product.path("name").asText());
            item.putNull("metadata");
            item.set("price", price.deepCopy());
            item.put("quantity", qty);
            lis.add(item);
        }
        if (total < Money.minimum(currency)) {
            throw StripeError.invalid("amount_too_small", "The Checkout Session's total amount due must add up to "
                    + "at least " + Money.format(Money.minimum(currency), currency) + " " + currency, null);
        }
        if (total > 99_999_999L) {
            throw StripeError.invalid("amount_too_large", "The Checkout Session's total amount due must be no more "
                    + "than " + Money.format(99_999_999L, currency) + " " + currency, null);
        }
        ObjectNode s = Json.obj();
        String id = Ids.checkoutSession();
        s.put("id", id);
        s.put("object", "checkout.session");
        s.putNull("adaptive_pricing");
        s.putNull("after_expiration");
        s.putNull("allow_promotion_codes");
        s.put("amount_subtotal", total);
        s.put("amount_total", total);
        ObjectNode at = s.putObject("automatic_tax");
        at.put("enabled", false);
        at.putNull("liability");
        at.putNull("provider");
        at.putNull("status");
        s.putNull("billing_address_collection");
        putNullable(s, "cancel_url", p.str("cancel_url"));
        putNullable(s, "client_reference_id", p.str("client_reference_id"));
        if (uiMode.equals("hosted_page")) {
            s.putNull("client_secret");
        } else {
            s.put("client_secret", id + "_secret_" + Ids.random(24));
        }
        s.putNull("collected_information");
        s.putNull("consent");
        s.putNull("consent_collection");
        s.put("created", created);
        s.put("currency", currency);
        s.putNull("currency_conversion");
        s.putArray("custom_fields");
        ObjectNode ct = s.putObject("custom_text");
        ct.putNull("after_submit");
        ct.putNull("shipping_address");
        ct.putNull("submit");
        ct.putNull("terms_of_service_acceptance");
        putNullable(s, "customer", customer);
        s.putNull("customer_account");
        if (customer == null) {
            s.put("customer_creation", p.str("customer_creation") == null ? "if_required" : p.str("customer_creation"));
        } else {
            s.putNull("customer_creation");
        }
        s.putNull("customer_details");
        putNullable(s, "customer_email", p.str("customer_email"));
        s.putArray("discounts");
        s.put("expires_at", expiresAt);
        s.putNull("integration_identifier");
        s.putNull("invoice");
        ObjectNode ic = s.putObject("invoice_creation");
        ic.put("enabled", false);
        ObjectNode idata = ic.putObject("invoice_data");
        idata.putNull("account_tax_ids");
        idata.putNull("custom_fields");
        idata.putNull("description");
        idata.putNull("footer");
        idata.putNull("issuer");
        idata.putObject("metadata");
        idata.putNull("rendering_options");
        s.put("livemode", false);
        putNullable(s, "locale", p.str("locale"));
        s.putObject("metadata");
        mergeMetadata(s, p.stringMap("metadata"));
        s.putNull("managed_payments");
        s.put("mode", mode);
        s.putNull("origin_context");
        s.putNull("payment_intent");
        s.putNull("payment_link");
        s.put("payment_method_collection", "if_required");
        s.putNull("payment_method_configuration_details");
        s.putObject("payment_method_options").putObject("card").put("request_three_d_secure", "automatic");
        ArrayNode pmTypes = s.putArray("payment_method_types");
        List<String> requestedTypes = p.strings("payment_method_types");
        if (requestedTypes.isEmpty()) {
            pmTypes.add("card");
        } else {
            for (String t : requestedTypes) {
                checkEnum(t, "payment_method_types", "card", "sepa_debit");
                pmTypes.add(t);
            }
            if (requestedTypes.contains("sepa_debit") && !currency.equals("eur")) {
                throw StripeError.invalid("The payment method type `sepa_debit` does not support the currency "
                        + currency + ". Supported currencies: eur.", "payment_method_types");
            }
        }
        s.put("payment_status", "unpaid");
        s.putNull("permissions");
        s.putObject("phone_number_collection").put("enabled", false);
        s.putNull("recovered_from");
        if (!uiMode.equals("hosted_page")) {
            putNullable(s, "return_url", p.str("return_url"));
        }
        s.putNull("saved_payment_method_options");
        s.putNull("setup_intent");
        s.putNull("shipping_address_collection");
        s.putNull("shipping_cost");
        s.putArray("shipping_options");
        s.put("status", "open");
        putNullable(s, "submit_type", p.str("submit_type"));
        s.putNull("subscription");
        putNullable(s, "success_url", successUrl);
        ObjectNode td = s.putObject("total_details");
        td.put("amount_discount", 0);
        td.put("amount_shipping", 0);
        td.put("amount_tax", 0);
        s.put("ui_mode", uiMode);
        if (uiMode.equals("hosted_page")) {
            s.put("url", host.baseUrl() + "/c/pay/" + id);
        } else {
            s.putNull("url");
        }
        s.putNull("wallet_options");
        store(s);
        nextExpiryMillis = Math.min(nextExpiryMillis, expiresAt * 1000);
        lineItems.put(id, lis);
        // what the PaymentIntent will get when the buyer pays
        ObjectNode pid = Json.obj();
        Map<String, Object> pidata = p.map("payment_intent_data");
        if (pidata != null) {
            ObjectNode md = Params.stringMap(pidata, "metadata");
            pid.set("metadata", md == null ? Json.obj() : md);
            putNullable(pid, "description", Params.str(pidata, "description"));
            putNullable(pid, "capture_method", Params.str(pidata, "capture_method"));
            putNullable(pid, "receipt_email", Params.str(pidata, "receipt_email"));
        }
        pendingIntentData.put(id, pid);
        return s.deepCopy();
    }

    private final Map<String, ObjectNode> pendingIntentData = new HashMap<>();

    private static void putNullable(ObjectNode o, String k, String v) {
        if (v == null) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    synchronized ObjectNode retrieveCheckoutSession(String id) {
        return get("checkout.session", id, "session").deepCopy();
    }

    synchronized ObjectNode updateCheckoutSession(String id, Params p) {
        p.allow("metadata[*]", "expand[]");
        ObjectNode s = get("checkout.session", id, "session");
        mergeMetadata(s, p.stringMap("metadata"));
        return s.deepCopy();
    }

    synchronized ObjectNode listCheckoutSessions(Params p) {
        p.allow("limit", "starting_after", "ending_before", "payment_intent", "customer", "status", "created",
                "created[*]", "expand[]", "customer_details[email]", "payment_link", "subscription");
        String pi = p.str("payment_intent");
        String customer = p.str("customer");
        String status = p.str("status");
        String email = Params.str(p.map("customer_details"), "email");
        return list("checkout.session", "/v1/checkout/sessions", p,
                o -> (email == null || email.equalsIgnoreCase(o.path("customer_details").path("email").asText()))
                        && (pi == null || pi.equals(o.path("payment_intent").asText()))
                        && (customer == null || customer.equals(o.path("customer").asText()))
                        && (status == null || status.equals(o.path("status").asText())));
    }

    synchronized ObjectNode listLineItems(String id, Params p) {
        p.allow("limit", "starting_after", "ending_before", "expand[]");
        get("checkout.session", id, "session");
        List<ObjectNode> l = new ArrayList<>();
        lineItems.getOrDefault(id, Json.arr()).forEach(x -> l.add((ObjectNode) x));
        return page(l, "/v1/checkout/sessions/" + id + "/line_items", p);
    }

    synchronized ArrayNode lineItemsOf(String id) {
        return lineItems.getOrDefault(id, Json.arr()).deepCopy();
    }

    synchronized ObjectNode expireCheckoutSession(String id, Params p) {
        p.allow("expand[]");
        ObjectNode s = get("checkout.session", id, "session");
        if (!s.path("status").asText().equals("open")) {
            throw StripeError.invalid("Only Checkout Sessions with a status in [\"open\"] can be expired.", null);
        }
        expireSession(s);
        return s.deepCopy();
    }

    private void expireSession(ObjectNode s) {
        ObjectNode before = s.deepCopy();
        s.put("status", "expired");
        s.putNull("url");
        String piId = s.path("payment_intent").asText(null);
        if (piId != null) {
            ObjectNode pi = table("payment_intent").get(piId);
            String st = pi == null ? "" : pi.path("status").asText();
            if (st.equals("requires_payment_method") || st.equals("requires_action")
                    || st.equals("requires_confirmation")) {
                ObjectNode pb = pi.deepCopy();
                pi.put("status", "canceled");
                pi.put("canceled_at", now());
                pi.put("cancellation_reason", "abandoned");
                pi.putNull("next_action");
                emit("payment_intent.canceled", pi, Json.diff(pb, pi));
            }
        }
        emit("checkout.session.expired", s, Json.diff(before, s));
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

    /** The buyer submits the hosted Checkout page. */
    synchronized PayResult payCheckout(String sessionId, Map<String, String> form) {
        ObjectNode s = get("checkout.session", sessionId, "session");
        String status = s.path("status").asText();
        if (status.equals("complete")) {
            return new PayResult(successRedirect(s), null);
        }
        if (!status.equals("open")) {
            return new PayResult(null, "This session has expired");
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
                pm = newSepaPaymentMethod(sepa, "sepa_debit", billing, "billing_details");
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
                pm = newCardPaymentMethod(card, "card", billing);
            } catch (StripeError e) {
                if ("expired_card".equals(e.code)) {
                    return new PayResult(null, "Your card's expiration date is in the past.");
                }
                return new PayResult(null, e.getMessage());
            }
        }
        ObjectNode before = s.deepCopy();
        ObjectNode pi;
        if (s.path("payment_intent").isNull()) {
            ObjectNode pid = pendingIntentData.getOrDefault(sessionId, Json.obj());
            pi = newPaymentIntent(s.path("amount_total").asLong(), s.path("currency").asText(),
                    s.path("customer").isNull() ? null : s.path("customer").asText(),
                    pid.has("metadata") ? (ObjectNode) pid.get("metadata") : null,
                    pid.path("description").isTextual() ? pid.path("description").asText() : null);
            pi.putNull("automatic_payment_methods");
            pi.putNull("payment_method_configuration_details");
            pi.set("payment_method_types", s.path("payment_method_types").deepCopy());
            if (pid.path("capture_method").isTextual()) {
                pi.put("capture_method", pid.path("capture_method").asText());
            }
            if (pid.path("receipt_email").isTextual()) {
                pi.put("receipt_email", pid.path("receipt_email").asText());
            }
            store(pi);
            sessionByPi.put(pi.path("id").asText(), sessionId);
            s.put("payment_intent", pi.path("id").asText());
            emit("payment_intent.created", pi, null);
        } else {
            pi = pi(s.path("payment_intent").asText(), "payment_intent");
        }
        ObjectNode details = Json.obj();
        details.set("address", Json.address());
        details.putNull("business_name");
        details.put("email", email);
        details.putNull("individual_name");
        putNullable(details, "name", name.isEmpty() ? null : name);
        details.putNull("phone");
        details.put("tax_exempt", "none");
        details.putArray("tax_ids");
        s.set("customer_details", details);
        pi.put("payment_method", pm.path("id").asText());
        String returnUrl = host.baseUrl() + "/c/pay/" + sessionId + "/return";
        try {
            doConfirm(pi, returnUrl);
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
    synchronized PayResult checkoutReturn(String sessionId) {
        ObjectNode s = get("checkout.session", sessionId, "session");
        if (s.path("status").asText().equals("complete")) {
            return new PayResult(successRedirect(s), null);
        }
        ObjectNode pi = s.path("payment_intent").isNull() ? null
                : table("payment_intent").get(s.path("payment_intent").asText());
        if (pi != null && !pi.path("last_payment_error").isNull()) {
            return new PayResult(null, pi.path("last_payment_error").path("message").asText());
        }
        return new PayResult(null, null);
    }

    private String successRedirect(ObjectNode s) {
        if (s.path("success_url").isNull()) {
            return null;
        }
        return s.path("success_url").asText().replace("{CHECKOUT_SESSION_ID}", s.path("id").asText());
    }

    private void onPaymentSucceeded(ObjectNode pi) {
        completeSession(pi, "paid");
    }

    private void completeSession(ObjectNode pi, String paymentStatus) {
        String sid = sessionByPi.get(pi.path("id").asText());
        if (sid == null) {
            return;
        }
        ObjectNode s = table("checkout.session").get(sid);
        if (s == null) {
            return;
        }
        if (!s.path("status").asText().equals("open")) {
            if (s.path("status").asText().equals("complete") && paymentStatus.equals("paid")
                    && !s.path("payment_status").asText().equals("paid")) {
                // a delayed payment settled
                ObjectNode before = s.deepCopy();
                s.put("payment_status", "paid");
                if (asyncSessions.remove(sid)) {
                    emit("checkout.session.async_payment_succeeded", s, Json.diff(before, s));
                }
            }
            return;
        }
        ObjectNode before = s.deepCopy();
        if (s.path("customer").isNull() && "always".equals(s.path("customer_creation").asText())) {
            Params cp = Params.empty();
            JsonNode details = s.path("customer_details");
            if (details.path("email").isTextual()) {
                cp.root.put("email", details.path("email").asText());
            }
            if (details.path("name").isTextual()) {
                cp.root.put("name", details.path("name").asText());
            }
            ObjectNode c = createCustomer(cp);
            s.put("customer", c.path("id").asText());
            pi.put("customer", c.path("id").asText());
        }
        s.put("status", "complete");
        s.put("payment_status", paymentStatus);
        s.putNull("url");
        updated("checkout.session.completed", s, before);
    }

    /** Sessions completed with a payment still processing. */
    private final Set<String> asyncSessions = new HashSet<>();

    // ------------------------------------------------------------------ persistence

    synchronized ObjectNode snapshot() {
        ObjectNode root = Json.obj();
        root.put("version", 1);
        root.put("clock_offset", clockOffsetSeconds);
        ObjectNode t = root.putObject("tables");
        for (String name : TABLES) {
            ArrayNode a = t.putArray(name);
            table(name).values().forEach(a::add);
        }
        ObjectNode li = root.putObject("line_items");
        lineItems.forEach(li::set);
        ObjectNode pn = root.putObject("pm_numbers");
        pmNumbers.forEach(pn::put);
        ObjectNode sp = root.putObject("session_by_pi");
        sessionByPi.forEach(sp::put);
        ObjectNode es = root.putObject("endpoint_secrets");
        endpointSecrets.forEach(es::put);
        ObjectNode pid = root.putObject("pending_intent_data");
        pendingIntentData.forEach(pid::set);
        ArrayNode dc = root.putArray("deleted_customers");
        deletedCustomers.forEach(dc::add);
        ArrayNode as = root.putArray("async_sessions");
        asyncSessions.forEach(as::add);
        return root.deepCopy();
    }

    synchronized void restore(JsonNode root) {
        reset();
        clockOffsetSeconds = root.path("clock_offset").asLong();
        root.path("tables").fields().forEachRemaining(e -> {
            if (tables.containsKey(e.getKey())) {
                for (JsonNode o : e.getValue()) {
                    store((ObjectNode) o.deepCopy());
                }
            }
        });
        root.path("line_items").fields().forEachRemaining(e -> lineItems.put(e.getKey(), (ArrayNode) e.getValue()));
        root.path("pm_numbers").fields().forEachRemaining(e -> pmNumbers.put(e.getKey(), e.getValue().asText()));
        root.path("session_by_pi").fields().forEachRemaining(e -> sessionByPi.put(e.getKey(), e.getValue().asText()));
        root.path("endpoint_secrets").fields()
                .forEachRemaining(e -> endpointSecrets.put(e.getKey(), e.getValue().asText()));
        root.path("pending_intent_data").fields()
                .forEachRemaining(e -> pendingIntentData.put(e.getKey(), (ObjectNode) e.getValue()));
        root.path("deleted_customers").forEach(x -> deletedCustomers.add(x.asText()));
        root.path("async_sessions").forEach(x -> asyncSessions.add(x.asText()));
        nextExpiryMillis = Long.MIN_VALUE;
    }
}
