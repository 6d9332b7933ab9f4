package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code metadata} every object carries, with Stripe's limits and messages: up to 50 keys, keys up to 40
 * characters, values up to 500.
 */
final class Metadata {
    private Metadata() {}

    /** Merges {@code md} into the object's metadata: an empty value removes the key, an empty map clears all. */
    static void merge(ObjectNode target, ObjectNode md) {
        if (md == null) {
            return;
        }
        md.fields().forEachRemaining(e -> {
            String key = e.getKey();
            String value = e.getValue().asText();
            if (key.length() > 40) {
                throw StripeError.invalid("Metadata keys can have up to 40 characters, but you passed in a key that "
                        + "is " + key.length() + " characters. Invalid key: " + key, "metadata[" + key + "]");
            }
            if (value.length() > 500) {
                throw StripeError.invalid("Metadata values can have up to 500 characters, but you passed in a value "
                        + "that is " + value.length() + " characters. Invalid value: " + value,
                        "metadata[" + key + "]");
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
            throw StripeError.invalid("Metadata can have up to 50 keys, but you've set " + merged.size()
                    + ". Email us at support+metadata@stripe.com for more information.", "metadata");
        }
        target.set("metadata", merged);
    }
}
