package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Products, created directly or inline by prices and Checkout line items. */
final class Products extends Resource {
    Products(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        p.allow("name", "description", "active", "metadata[*]", "images[]", "url", "id", "shippable",
                "statement_descriptor", "tax_code", "unit_label", "expand[]", "default_price_data[*]",
                "marketing_features[][name]");
        Params.maxLength(p.str("name"), MAX_NAME, "name");
        return newProduct(p.req("name"), p, true);
    }

    /** Since API version 2018-10-31 a product's name is limited to 250 characters. */
    static final int MAX_NAME = 250;

    ObjectNode newProduct(String name, Params p, boolean emitEvent) {
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
        Json.putNullable(pr, "description", d);
        ArrayNode images = pr.putArray("images");
        p.strings("images").forEach(images::add);
        pr.put("livemode", false);
        pr.putArray("marketing_features");
        pr.putObject("metadata");
        Metadata.merge(pr, p.stringMap("metadata"));
        pr.put("name", name);
        pr.putNull("package_dimensions");
        pr.putNull("shippable");
        pr.putNull("statement_descriptor");
        pr.putNull("tax_code");
        pr.put("type", "service");
        pr.putNull("unit_label");
        pr.put("updated", now());
        String url = p.str("url");
        Json.putNullable(pr, "url", url);
        store(pr);
        if (emitEvent) {
            emit("product.created", pr, null);
        }
        return pr.deepCopy();
    }

    ObjectNode retrieve(String id) {
        return get("product", id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow("name", "description", "active", "metadata[*]", "images[]", "url", "default_price", "expand[]");
        ObjectNode pr = get("product", id, "id");
        ObjectNode before = pr.deepCopy();
        if (p.has("name")) {
            Params.maxLength(p.str("name"), MAX_NAME, "name");
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
        Metadata.merge(pr, p.stringMap("metadata"));
        pr.put("updated", now());
        updated("product.updated", pr, before);
        return pr.deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "active", "ids[]", "created", "created[*]",
                "expand[]", "shippable", "url");
        Boolean active = p.bool("active");
        List<String> ids = p.strings("ids");
        return list("product", "/v1/products", p, o -> (active == null || o.path("active").asBoolean() == active)
                && (ids.isEmpty() || ids.contains(o.path("id").asText())));
    }
}
