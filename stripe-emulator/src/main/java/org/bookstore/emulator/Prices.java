package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prices: one-time and recurring, with an existing product or inline product data. */
final class Prices extends Resource {
    Prices(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        p.allow("currency", "unit_amount", "unit_amount_decimal", "product", "product_data[name]",
                "product_data[active]", "product_data[statement_descriptor]", "product_data[tax_code]",
                "product_data[unit_label]", "product_data[metadata][*]", "recurring[interval]",
                "recurring[interval_count]", "nickname", "metadata[*]", "lookup_key", "active", "tax_behavior",
                "billing_scheme", "expand[]");
        if (p.has("billing_scheme")) {
            // tiered pricing is not emulated
            Params.checkEnum(p.str("billing_scheme"), "billing_scheme", "per_unit");
        }
        if (p.has("tax_behavior")) {
            Params.checkEnum(p.str("tax_behavior"), "tax_behavior", "exclusive", "inclusive", "unspecified");
        }
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
            Params.maxLength(name, Products.MAX_NAME, "product_data[name]");
            Map<String, Object> pm = new LinkedHashMap<>(pd);
            pm.remove("name");
            productId = engine.products.newProduct(name, Params.of(pm), true).path("id").asText();
        } else {
            throw StripeError.invalid("You must specify either `product` or `product_data` when creating a price.",
                    "product");
        }
        long amount = unitAmount(p.root, "unit_amount");
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
        Metadata.merge(price, p.stringMap("metadata"));
        emit("price.created", price, null);
        return price.deepCopy();
    }

    /** {@code unit_amount}, else the whole part of {@code unit_amount_decimal}; {@code param} names it in errors. */
    static long unitAmount(Map<String, Object> data, String param) {
        Long amount = Params.lng(data, "unit_amount", param);
        java.math.BigDecimal dec = Params.decimal(data, "unit_amount_decimal", param + "_decimal");
        if (amount == null && dec != null) {
            amount = dec.longValue();
        }
        if (amount == null) {
            throw StripeError.missing(param);
        }
        return amount;
    }

    ObjectNode newPrice(String currency, long amount, String productId, Map<String, Object> recurring,
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

    ObjectNode retrieve(String id) {
        return get("price", id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
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
        if (p.has("tax_behavior")) {
            Params.checkEnum(p.str("tax_behavior"), "tax_behavior", "exclusive", "inclusive", "unspecified");
            if (!pr.path("tax_behavior").asText().equals("unspecified")) {
                throw StripeError.invalid("The tax behavior of a price cannot be changed once it is set.",
                        "tax_behavior");
            }
            pr.put("tax_behavior", p.str("tax_behavior"));
        }
        Metadata.merge(pr, p.stringMap("metadata"));
        updated("price.updated", pr, before);
        return pr.deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "active", "product", "currency", "type",
                "lookup_keys[]", "created", "created[*]", "expand[]", "recurring[interval]");
        Boolean active = p.bool("active");
        String product = p.str("product");
        String currency = p.str("currency");
        String type = p.str("type");
        List<String> keys = p.strings("lookup_keys");
        String interval = Params.str(p.map("recurring"), "interval");
        return list("price", "/v1/prices", p, o -> (active == null || o.path("active").asBoolean() == active)
                && (product == null || product.equals(o.path("product").asText()))
                && (currency == null || currency.equals(o.path("currency").asText()))
                && (type == null || type.equals(o.path("type").asText()))
                && (keys.isEmpty() || keys.contains(o.path("lookup_key").asText()))
                && (interval == null || interval.equals(o.path("recurring").path("interval").asText())));
    }
}
