package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The emulator's shared state: the object store, the clock and its due tasks, and the lock every operation runs
 * under. Stripe's behaviour lives in one class per resource, wired together here.
 */
final class Engine {
    static final String API_VERSION = "2026-07-29.dahlia";
    static final List<String> TABLES = List.of("customer", "product", "price", "payment_method", "payment_intent",
            "charge", "refund", "dispute", "event", "webhook_endpoint", "checkout.session", "token", "card",
            "balance_transaction", "coupon", "promotion_code", "shipping_rate", "tax_rate");
    private static final Map<String, String> KIND = Map.ofEntries(Map.entry("customer", "customer"),
            Map.entry("product", "product"), Map.entry("price", "price"),
            Map.entry("payment_method", "PaymentMethod"), Map.entry("payment_intent", "payment_intent"),
            Map.entry("charge", "charge"), Map.entry("refund", "refund"), Map.entry("dispute", "dispute"),
            Map.entry("event", "event"), Map.entry("webhook_endpoint", "webhook endpoint"),
            Map.entry("checkout.session", "checkout.session"), Map.entry("token", "token"),
            Map.entry("card", "source"), Map.entry("balance_transaction", "balance transaction"),
            Map.entry("coupon", "coupon"), Map.entry("promotion_code", "promotion code"),
            Map.entry("shipping_rate", "shipping rate"), Map.entry("tax_rate", "tax rate"));

    interface Host {
        String baseUrl();

        double timeScale();

        Webhooks webhooks();
    }

    final Host host;
    private final Map<String, LinkedHashMap<String, ObjectNode>> tables = new HashMap<>();
    private final Map<String, String> tableOf = new HashMap<>();
    private final List<Task> tasks = new ArrayList<>();
    private long clockOffsetSeconds;

    final Customers customers;
    final Products products;
    final Prices prices;
    final PaymentMethods paymentMethods;
    final PaymentIntents paymentIntents;
    final Charges charges;
    final SepaDebits sepaDebits;
    final ThreeDSecure threeDSecure;
    final Refunds refunds;
    final BalanceTransactions balanceTransactions;
    final Tokens tokens;
    final Sources sources;
    final Coupons coupons;
    final ShippingRates shippingRates;
    final TaxRates taxRates;
    final Disputes disputes;
    final WebhookEndpoints webhookEndpoints;
    final Events events;
    final CheckoutSessions checkoutSessions;
    final HostedCheckout hostedCheckout;
    final Search search;
    final Expansion expansion;

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
        customers = new Customers(this);
        products = new Products(this);
        prices = new Prices(this);
        paymentMethods = new PaymentMethods(this);
        paymentIntents = new PaymentIntents(this);
        charges = new Charges(this);
        sepaDebits = new SepaDebits(this);
        threeDSecure = new ThreeDSecure(this);
        refunds = new Refunds(this);
        balanceTransactions = new BalanceTransactions(this);
        tokens = new Tokens(this);
        sources = new Sources(this);
        coupons = new Coupons(this);
        shippingRates = new ShippingRates(this);
        taxRates = new TaxRates(this);
        disputes = new Disputes(this);
        webhookEndpoints = new WebhookEndpoints(this);
        events = new Events(this);
        checkoutSessions = new CheckoutSessions(this);
        hostedCheckout = new HostedCheckout(this);
        search = new Search(this);
        expansion = new Expansion(this);
    }

    /** Runs one operation under the engine's lock: the resource classes rely on it. */
    synchronized <T> T locked(Supplier<T> operation) {
        return operation.get();
    }

    synchronized void locked(Runnable operation) {
        operation.run();
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

    /** Runs {@code r} after the short delay of Stripe's asynchronous steps (scaled for tests). */
    void later(Runnable r) {
        at(nowMillis() + Math.max(1, Math.round(2000 * host.timeScale())), r);
    }

    void at(long dueMillis, Runnable r) {
        tasks.add(new Task(dueMillis, r));
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
        String[] saved = Events.REQUEST.get();
        Events.REQUEST.set(null);
        try {
            for (Task t : due) {
                t.run.run();
            }
            checkoutSessions.expireDue(now);
        } finally {
            Events.REQUEST.set(saved);
        }
    }

    synchronized void reset() {
        for (LinkedHashMap<String, ObjectNode> t : tables.values()) {
            t.clear();
        }
        tableOf.clear();
        customers.deleted.clear();
        checkoutSessions.lineItems.clear();
        checkoutSessions.itemTaxRates.clear();
        paymentMethods.numbers.clear();
        checkoutSessions.sessionByPi.clear();
        webhookEndpoints.secrets.clear();
        checkoutSessions.pendingIntentData.clear();
        checkoutSessions.asyncSessions.clear();
        tasks.clear();
        clockOffsetSeconds = 0;
        checkoutSessions.nextExpiryMillis = Long.MAX_VALUE;
    }

    // ------------------------------------------------------------------ storage

    LinkedHashMap<String, ObjectNode> table(String name) {
        return tables.get(name);
    }

    void store(ObjectNode o) {
        String t = o.get("object").asText();
        table(t).put(o.get("id").asText(), o);
        tableOf.put(o.get("id").asText(), t);
    }

    void remove(String table, String id) {
        table(table).remove(id);
        tableOf.remove(id);
    }

    /** A stored object, or Stripe's "No such ..." error naming {@code param}. */
    ObjectNode get(String table, String id, String param) {
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

    /** A list endpoint's page: newest first, filtered, and by {@code created} when asked. */
    synchronized ObjectNode list(String tableName, String url, Params p, Predicate<ObjectNode> filter) {
        List<ObjectNode> items = new ArrayList<>();
        for (ObjectNode o : table(tableName).values()) {
            if (filter.test(o) && Pagination.createdMatches(o, p)) {
                items.add(o);
            }
        }
        java.util.Collections.reverse(items);
        return Pagination.page(items, url, p);
    }

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
        checkoutSessions.lineItems.forEach(li::set);
        ObjectNode tr = root.putObject("item_tax_rates");
        checkoutSessions.itemTaxRates.forEach(tr::set);
        ObjectNode pn = root.putObject("pm_numbers");
        paymentMethods.numbers.forEach(pn::put);
        ObjectNode sp = root.putObject("session_by_pi");
        checkoutSessions.sessionByPi.forEach(sp::put);
        ObjectNode es = root.putObject("endpoint_secrets");
        webhookEndpoints.secrets.forEach(es::put);
        ObjectNode pid = root.putObject("pending_intent_data");
        checkoutSessions.pendingIntentData.forEach(pid::set);
        ArrayNode dc = root.putArray("deleted_customers");
        customers.deleted.forEach(dc::add);
        ArrayNode as = root.putArray("async_sessions");
        checkoutSessions.asyncSessions.forEach(as::add);
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
        root.path("line_items").fields()
                .forEachRemaining(e -> checkoutSessions.lineItems.put(e.getKey(), (ArrayNode) e.getValue()));
        root.path("item_tax_rates").fields()
                .forEachRemaining(e -> checkoutSessions.itemTaxRates.put(e.getKey(), (ArrayNode) e.getValue()));
        root.path("pm_numbers").fields()
                .forEachRemaining(e -> paymentMethods.numbers.put(e.getKey(), e.getValue().asText()));
        root.path("session_by_pi").fields()
                .forEachRemaining(e -> checkoutSessions.sessionByPi.put(e.getKey(), e.getValue().asText()));
        root.path("endpoint_secrets").fields()
                .forEachRemaining(e -> webhookEndpoints.secrets.put(e.getKey(), e.getValue().asText()));
        root.path("pending_intent_data").fields()
                .forEachRemaining(e -> checkoutSessions.pendingIntentData.put(e.getKey(), (ObjectNode) e.getValue()));
        root.path("deleted_customers").forEach(x -> customers.deleted.add(x.asText()));
        root.path("async_sessions").forEach(x -> checkoutSessions.asyncSessions.add(x.asText()));
        balanceTransactions.restored();
        // the next tick looks at every open session
        checkoutSessions.nextExpiryMillis = Long.MIN_VALUE;
    }
}
