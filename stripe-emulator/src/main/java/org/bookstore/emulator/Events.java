package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Events: recorded for every change, fanned out to the webhook endpoints, listed and resent. */
final class Events extends Resource {
    /** Per-request context, for events' {@code request} field. */
    static final ThreadLocal<String[]> REQUEST = new ThreadLocal<>();

    Events(Engine engine) {
        super(engine);
    }

    ObjectNode emit(String type, ObjectNode object, ObjectNode previous) {
        ObjectNode e = Json.obj();
        e.put("id", Ids.id("evt"));
        e.put("object", "event");
        e.put("api_version", Engine.API_VERSION);
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

    void updated(String type, ObjectNode obj, ObjectNode before) {
        ObjectNode prev = Json.diff(before, obj);
        if (prev.size() > 0) {
            emit(type, obj, prev);
        }
    }

    private void deliver(ObjectNode event) {
        Webhooks wh = host.webhooks();
        if (wh == null) {
            return;
        }
        List<Webhooks.Target> targets = engine.webhookEndpoints.targetsFor(event.path("type").asText(), null);
        event.put("pending_webhooks", event.path("pending_webhooks").asInt() + targets.size());
        if (!targets.isEmpty()) {
            wh.dispatch(event.deepCopy(), targets);
        }
    }

    void delivered(String eventId) {
        ObjectNode e = table("event").get(eventId);
        if (e != null) {
            e.put("pending_webhooks", Math.max(0, e.path("pending_webhooks").asInt() - 1));
        }
    }

    int resend(String eventId, String endpointId) {
        ObjectNode e = get("event", eventId, "id");
        List<Webhooks.Target> targets = engine.webhookEndpoints.targetsFor(e.path("type").asText(), endpointId);
        if (endpointId != null && targets.isEmpty()) {
            // resending to an endpoint not (or no longer) subscribed to the type
            targets.add(engine.webhookEndpoints.target(get("webhook_endpoint", endpointId, "endpoint")));
        }
        e.put("pending_webhooks", e.path("pending_webhooks").asInt() + targets.size());
        host.webhooks().dispatch(e.deepCopy(), targets);
        return targets.size();
    }

    ObjectNode retrieve(String id) {
        return get("event", id, "id").deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "type", "types[]", "created", "created[*]",
                "expand[]");
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

    /** Whether an event type matches {@code pattern}: exact, {@code *}, or a prefix such as {@code charge.*}. */
    static boolean matchesType(String pattern, String type) {
        if (pattern.endsWith("*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }
}
