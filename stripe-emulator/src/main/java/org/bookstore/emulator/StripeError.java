package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** An API error answered in Stripe's body shape. */
final class StripeError extends RuntimeException {
    final int status;
    final String type;
    final String code;
    final String declineCode;
    final String param;
    final Map<String, JsonNode> extra = new LinkedHashMap<>();
    final Map<String, String> headers = new LinkedHashMap<>();

    StripeError(int status, String type, String code, String declineCode, String message, String param) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.declineCode = declineCode;
        this.param = param;
    }

    static StripeError invalid(String message, String param) {
        return new StripeError(400, "invalid_request_error", null, null, message, param);
    }

    static StripeError invalid(String code, String message, String param) {
        return new StripeError(400, "invalid_request_error", code, null, message, param);
    }

    static StripeError missing(String param) {
        return new StripeError(400, "invalid_request_error", "parameter_missing", null,
                "Missing required param: " + param + ".", param);
    }

    static StripeError unknown(String param) {
        return new StripeError(400, "invalid_request_error", "parameter_unknown", null,
                "Received unknown parameter: " + param, param);
    }

    static StripeError notFound(String kind, String id, String param) {
        return new StripeError(404, "invalid_request_error", "resource_missing", null,
                "No such " + kind + ": '" + id + "'", param);
    }

    static StripeError state(String message) {
        return new StripeError(400, "invalid_request_error", "payment_intent_unexpected_state", null, message, null);
    }

    StripeError with(String key, JsonNode value) {
        extra.put(key, value);
        return this;
    }

    StripeError header(String k, String v) {
        headers.put(k, v);
        return this;
    }

    ObjectNode body() {
        ObjectNode e = Json.obj();
        if (code != null) {
            e.put("code", code);
            e.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        }
        if (declineCode != null) {
            e.put("decline_code", declineCode);
        }
        e.put("message", getMessage());
        if (param != null) {
            e.put("param", param);
        }
        extra.forEach(e::set);
        e.put("type", type);
        ObjectNode root = Json.obj();
        root.set("error", e);
        return root;
    }
}
