package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The control API under {@code /_emulator}: parameters come from the query string or a form body. */
final class Control {
    private final StripeEmulator em;

    Control(StripeEmulator em) {
        this.em = em;
    }

    Api.Resp handle(String method, String[] seg, String query, String body) {
        Map<String, String> p = Pages.form(query, body);
        String path = "/" + String.join("/", seg);
        try {
            return Api.Resp.json(200, route(method, path, p));
        } catch (StripeError e) {
            return Api.Resp.json(e.status, e.body());
        } catch (IllegalArgumentException e) {
            return Api.Resp.json(400, StripeError.invalid(e.getMessage(), null).body());
        }
    }

    private static int integer(Map<String, String> p, String k, int def) {
        String v = p.get(k);
        if (v == null || v.isEmpty()) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid integer for " + k + ": " + v);
        }
    }

    private static long longer(Map<String, String> p, String k, long def) {
        String v = p.get(k);
        if (v == null || v.isEmpty()) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid integer for " + k + ": " + v);
        }
    }

    private static ObjectNode ok() {
        ObjectNode o = Json.obj();
        o.put("ok", true);
        return o;
    }

    private com.fasterxml.jackson.databind.JsonNode route(String method, String path, Map<String, String> p) {
        boolean post = method.equals("POST");
        boolean get = method.equals("GET");
        switch (path) {
            case "/_emulator/reset":
                if (post) {
                    em.reset();
                    return ok();
                }
                break;
            case "/_emulator/faults":
                if (post) {
                    int status = integer(p, "status", 0);
                    long hang = longer(p, "hang_ms", 0);
                    boolean drop = "true".equals(p.get("drop"));
                    if (status == 0 && hang == 0 && !drop) {
                        throw new IllegalArgumentException("give status (500, 503, 429, ...), hang_ms or drop=true");
                    }
                    if (status != 0 && (status < 400 || status > 599)) {
                        throw new IllegalArgumentException("status must be 4xx or 5xx");
                    }
                    Api.Fault f = new Api.Fault(p.get("method"), p.getOrDefault("path", "/v1/"),
                            integer(p, "count", 1), status, hang, p.get("should_retry"));
                    f.hangBefore = "before".equals(p.get("hang_mode"));
                    f.drop = drop;
                    em.api().addFault(f);
                    return ok();
                }
                if (method.equals("DELETE")) {
                    em.clearFaults();
                    return ok();
                }
                if (get) {
                    ArrayNode a = Json.arr();
                    em.api().faults().forEach(a::add);
                    return StripeEmulator.listOf(a, "/_emulator/faults");
                }
                break;
            case "/_emulator/clock":
                if (get) {
                    ObjectNode o = Json.obj();
                    o.put("now", em.now());
                    o.put("offset_seconds", em.engine().clockOffset());
                    return o;
                }
                break;
            case "/_emulator/clock/advance":
                if (post) {
                    em.advanceClock(longer(p, "seconds", 0));
                    ObjectNode o = Json.obj();
                    o.put("now", em.now());
                    o.put("offset_seconds", em.engine().clockOffset());
                    return o;
                }
                break;
            case "/_emulator/webhooks/endpoints":
                if (post) {
                    String url = p.get("url");
                    if (url == null) {
                        throw new IllegalArgumentException("url is required");
                    }
                    String ev = p.getOrDefault("events", "*");
                    StripeEmulator.WebhookEndpoint we = em.addWebhookEndpointWithSecret(url, p.get("secret"), ev.split(","));
                    ObjectNode o = Json.obj();
                    o.put("id", we.id());
                    o.put("url", we.url());
                    o.put("secret", we.secret());
                    return o;
                }
                break;
            case "/_emulator/webhooks/attempts":
                if (get) {
                    List<DeliveryAttempt> all = new ArrayList<>(em.deliveryAttempts());
                    String ev = p.get("event");
                    String ep = p.get("endpoint");
                    all.removeIf(a -> (ev != null && !ev.equals(a.eventId()))
                            || (ep != null && !ep.equals(a.endpointId())));
                    return StripeEmulator.listOf(StripeEmulator.attemptsJson(all), "/_emulator/webhooks/attempts");
                }
                break;
            case "/_emulator/webhooks/duplicate":
                if (post) {
                    em.duplicateNextEvents(integer(p, "count", 1));
                    return ok();
                }
                break;
            case "/_emulator/webhooks/reorder":
                if (post) {
                    em.reorderNextEvents(integer(p, "count", 2));
                    return ok();
                }
                break;
            case "/_emulator/webhooks/delay":
                if (post) {
                    em.delayNextEvents(integer(p, "count", 1), longer(p, "ms", 1000));
                    return ok();
                }
                break;
            case "/_emulator/webhooks/hold":
                if (post) {
                    em.holdEvents();
                    return ok();
                }
                break;
            case "/_emulator/webhooks/release":
                if (post) {
                    int n = em.heldEventCount();
                    em.releaseEvents("true".equals(p.get("reverse")));
                    ObjectNode o = ok();
                    o.put("released", n);
                    return o;
                }
                break;
            case "/_emulator/webhooks/corrupt":
                if (post) {
                    em.corruptNextSignatures(integer(p, "count", 1));
                    return ok();
                }
                break;
            case "/_emulator/webhooks/resend":
                if (post) {
                    String ev = p.get("event");
                    if (ev == null) {
                        throw new IllegalArgumentException("event is required");
                    }
                    ObjectNode o = ok();
                    o.put("deliveries", em.resendEvent(ev, p.get("endpoint")));
                    return o;
                }
                break;
            case "/_emulator/state":
                if (get) {
                    ObjectNode s = em.engine().snapshot();
                    s.remove("pm_numbers");
                    return s;
                }
                break;
            default:
                break;
        }
        throw new StripeError(404, "invalid_request_error", null, null,
                "Unrecognized control URL (" + method + ": " + path + ").", null);
    }
}
