package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Products, created directly or inline by prices and Checkout line items. */
final class Products extends Resource {
    Products(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        p.allow("name", "description", "active", "metadata[*]", "images[]", "url", "id", "shippable",
                "statement_descriptor", "tax_code", "unit_label", "expand[]", "default_price_data[currency]",
                "default_price_data[unit_amount]", "default_price_data[unit_amount_decimal]",
                "default_price_data[recurring][interval]", "default_price_data[recurring][interval_count]",
                "default_price_data[tax_behavior]", "default_price_data[metadata][*]", "marketing_features[][name]");
        Params.maxLength(p.str("name"), MAX_NAME, "name");
        Map<String, Object> dpd = p.map("default_price_data");
        String currency = null;
        if (dpd != null) {
            // checked before anything is stored: a refused price leaves no product behind
            currency = Params.str(dpd, "currency");
            if (currency == null) {
                throw StripeError.missing("default_price_data[currency]");
            }
            currency = currency.toLowerCase();
            Money.validateCurrency(currency, "default_price_data[currency]");
            Prices.unitAmount(dpd, "default_price_data[unit_amount]");
            String tb = Params.str(dpd, "tax_behavior");
            if (tb != null) {
                Params.checkEnum(tb, "default_price_data[tax_behavior]", "exclusive", "inclusive", "unspecified");
            }
        }
        ObjectNode pr = newProduct(p.req("name"), p, dpd == null);
        if (dpd != null) {
            ObjectNode stored = get("product", pr.path("id").asText(), "id");
            ObjectNode price = engine.prices.newPrice(currency, Prices.unitAmount(dpd, "default_price_data[unit_amount]"),
                    stored.path("id").asText(), Params.map(dpd, "recurring"), true);
            String tb = Params.str(dpd, "tax_behavior");
            if (tb != null) {
                price.put("tax_behavior", tb);
            }
            Metadata.merge(price, Params.stringMap(dpd, "metadata"));
            stored.put("default_price", price.path("id").asText());
            emit("product.created", stored, null);
            emit("price.created", price, null);
            return stored.deepCopy();
        }
        return pr;
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
        ArrayNode features = pr.putArray("marketing_features");
        List<Object> mf = p.list("marketing_features");
        for (int i = 0; mf != null && i < mf.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> f = mf.get(i) instanceof Map ? (Map<String, Object>) mf.get(i) : Map.of();
            features.addObject().put("name", Params.str(f, "name"));
        }
        pr.putObject("metadata");
        Metadata.merge(pr, p.stringMap("metadata"));
        pr.put("name", name);
        pr.putNull("package_dimensions");
        Boolean shippable = p.bool("shippable");
        if (shippable == null) {
            pr.putNull("shippable");
        } else {
            pr.put("shippable", shippable);
        }
        Json.putNullable(pr, "statement_descriptor", p.str("statement_descriptor"));
        Json.putNullable(pr, "tax_code", p.str("tax_code"));
        pr.put("type", "service");
        Json.putNullable(pr, "unit_label", p.str("unit_label"));
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
        p.allow("name", "description", "active", "metadata[*]", "images[]", "url", "default_price", "shippable",
                "statement_descriptor", "tax_code", "unit_label", "expand[]");
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
        if (p.has("images")) {
            ArrayNode images = pr.putArray("images");
            p.strings("images").forEach(images::add);
        }
        for (String f : new String[] {"url", "statement_descriptor", "tax_code", "unit_label"}) {
            if (p.has(f)) {
                String v = p.str(f);
                Json.putNullable(pr, f, v == null || v.isEmpty() ? null : v);
            }
        }
        if (p.has("shippable")) {
            pr.put("shippable", p.bool("shippable"));
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
        Boolean shippable = p.bool("shippable");
        String url = p.str("url");
        List<String> ids = p.strings("ids");
        return list("product", "/v1/products", p, o -> (active == null || o.path("active").asBoolean() == active)
                && (shippable == null || o.path("shippable").asBoolean(false) == shippable)
                && (url == null || url.equals(o.path("url").asText()))
                && (ids.isEmpty() || ids.contains(o.path("id").asText())));
    }
}
