package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Shipping rates (fixed amounts) that Checkout Sessions offer as shipping options. */
final class ShippingRates extends Resource {
    static final String[] RATE_DATA = {"display_name", "type", "fixed_amount[amount]", "fixed_amount[currency]",
        "delivery_estimate[minimum][unit]", "delivery_estimate[minimum][value]", "delivery_estimate[maximum][unit]",
        "delivery_estimate[maximum][value]", "metadata[*]", "tax_behavior", "tax_code"};

    ShippingRates(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        String[] allowed = java.util.Arrays.copyOf(RATE_DATA, RATE_DATA.length + 1);
        allowed[RATE_DATA.length] = "expand[]";
        p.allow(allowed);
        ObjectNode r = newRate(p.root, "");
        emit("shipping_rate.created", r, null);
        return r.deepCopy();
    }

    /** A rate from create's parameters, or from {@code shipping_rate_data} ({@code prefix} names it in errors). */
    ObjectNode newRate(Map<String, Object> d, String prefix) {
        String name = Params.str(d, "display_name");
        if (name == null || name.isEmpty()) {
            throw StripeError.missing(param(prefix, "display_name"));
        }
        String type = Params.str(d, "type") == null ? "fixed_amount" : Params.str(d, "type");
        Params.checkEnum(type, param(prefix, "type"), "fixed_amount");
        Map<String, Object> fixed = Params.map(d, "fixed_amount");
        if (fixed == null) {
            throw StripeError.missing(param(prefix, "fixed_amount"));
        }
        Long amount = Params.lng(fixed, "amount", param(prefix, "fixed_amount") + "[amount]");
        if (amount == null) {
            throw StripeError.missing(param(prefix, "fixed_amount") + "[amount]");
        }
        if (amount < 0) {
            throw StripeError.invalid("Invalid non-negative integer", param(prefix, "fixed_amount") + "[amount]");
        }
        String currency = Params.str(fixed, "currency");
        if (currency == null) {
            throw StripeError.missing(param(prefix, "fixed_amount") + "[currency]");
        }
        currency = currency.toLowerCase();
        Money.validateCurrency(currency, param(prefix, "fixed_amount") + "[currency]");
        String taxBehavior = Params.str(d, "tax_behavior") == null ? "unspecified" : Params.str(d, "tax_behavior");
        Params.checkEnum(taxBehavior, param(prefix, "tax_behavior"), "exclusive", "inclusive", "unspecified");
        ObjectNode r = Json.obj();
        r.put("id", Ids.id("shr"));
        r.put("object", "shipping_rate");
        r.put("active", true);
        r.put("created", now());
        Map<String, Object> est = Params.map(d, "delivery_estimate");
        if (est == null) {
            r.putNull("delivery_estimate");
        } else {
            ObjectNode e = r.putObject("delivery_estimate");
            for (String end : new String[] {"maximum", "minimum"}) {
                Map<String, Object> b = Params.map(est, end);
                if (b == null) {
                    e.putNull(end);
                    continue;
                }
                String unit = Params.str(b, "unit");
                String p = param(prefix, "delivery_estimate") + "[" + end + "]";
                if (unit == null) {
                    throw StripeError.missing(p + "[unit]");
                }
                Params.checkEnum(unit, p + "[unit]", "business_day", "day", "hour", "month", "week");
                Long v = Params.lng(b, "value", p + "[value]");
                if (v == null) {
                    throw StripeError.missing(p + "[value]");
                }
                ObjectNode o = e.putObject(end);
                o.put("unit", unit);
                o.put("value", v);
            }
        }
        r.put("display_name", name);
        ObjectNode fa = r.putObject("fixed_amount");
        fa.put("amount", amount);
        fa.put("currency", currency);
        r.put("livemode", false);
        r.putObject("metadata");
        Metadata.merge(r, Params.stringMap(d, "metadata"));
        r.put("tax_behavior", taxBehavior);
        Json.putNullable(r, "tax_code", Params.str(d, "tax_code"));
        r.put("type", type);
        store(r);
        return r;
    }

    private static String param(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "[" + name + "]";
    }

    ObjectNode retrieve(String id) {
        return get("shipping_rate", id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow("active", "metadata[*]", "tax_behavior", "expand[]");
        ObjectNode r = get("shipping_rate", id, "id");
        ObjectNode before = r.deepCopy();
        if (p.has("active")) {
            r.put("active", p.bool("active"));
        }
        if (p.has("tax_behavior")) {
            Params.checkEnum(p.str("tax_behavior"), "tax_behavior", "exclusive", "inclusive", "unspecified");
            r.put("tax_behavior", p.str("tax_behavior"));
        }
        Metadata.merge(r, p.stringMap("metadata"));
        updated("shipping_rate.updated", r, before);
        return r.deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "active", "currency", "created", "created[*]",
                "expand[]");
        Boolean active = p.bool("active");
        String currency = p.str("currency");
        return list("shipping_rate", "/v1/shipping_rates", p,
                o -> (active == null || o.path("active").asBoolean() == active)
                        && (currency == null || currency.equals(o.path("fixed_amount").path("currency").asText())));
    }
}
