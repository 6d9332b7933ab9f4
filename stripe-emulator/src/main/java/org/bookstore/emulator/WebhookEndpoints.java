package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Webhook endpoints, their signing secrets, and which of them an event goes to. */
final class WebhookEndpoints extends Resource {
    /** Signing secrets by endpoint id: Stripe shows one only when the endpoint is created. */
    final Map<String, String> secrets = new HashMap<>();

    WebhookEndpoints(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        p.allow("url", "enabled_events[]", "api_version", "description", "metadata[*]", "expand[]");
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
        Metadata.merge(we, p.stringMap("metadata"));
        we.put("status", "enabled");
        we.put("url", url);
        store(we);
        String secret = "whsec_" + Ids.random(32);
        secrets.put(we.path("id").asText(), secret);
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

    ObjectNode retrieve(String id) {
        return get("webhook_endpoint", id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
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
        Metadata.merge(we, p.stringMap("metadata"));
        return we.deepCopy();
    }

    ObjectNode delete(String id) {
        get("webhook_endpoint", id, "id");
        engine.remove("webhook_endpoint", id);
        secrets.remove(id);
        return Json.deleted(id, "webhook_endpoint");
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "expand[]");
        return list("webhook_endpoint", "/v1/webhook_endpoints", p, o -> true);
    }

    void setSecret(String id, String secret) {
        get("webhook_endpoint", id, "id");
        secrets.put(id, secret);
    }

    String idForUrl(String url) {
        for (ObjectNode we : table("webhook_endpoint").values()) {
            if (we.path("url").asText().equals(url)) {
                return we.path("id").asText();
            }
        }
        return null;
    }

    String secret(String id) {
        return secrets.get(id);
    }

    /** The enabled endpoints subscribed to events of {@code type}; only {@code onlyEndpoint} when given. */
    List<Webhooks.Target> targetsFor(String type, String onlyEndpoint) {
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
                match |= Events.matchesType(ev.asText(), type);
            }
            if (match) {
                out.add(target(we));
            }
        }
        return out;
    }

    /** Where and how an event goes to this endpoint: its URL, signing secret and API version. */
    Webhooks.Target target(ObjectNode we) {
        String v = we.path("api_version").isNull() ? Engine.API_VERSION : we.path("api_version").asText();
        String id = we.path("id").asText();
        return new Webhooks.Target(id, we.path("url").asText(), secrets.get(id), v);
    }
}
