package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code metadata} every object carries, with Stripe's limits. */
final class Metadata {
    private Metadata() {}

    /** Merges {@code md} into the object's metadata: an empty value removes the key, an empty map clears all. */
    static void merge(ObjectNode target, ObjectNode md) {
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
}
