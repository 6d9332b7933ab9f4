package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Manual tax rates (a percentage, inclusive or exclusive) applied to Checkout line items. */
final class TaxRates extends Resource {
    private static final String[] TEXT = {"country", "description", "jurisdiction", "state"};

    TaxRates(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        p.allow("display_name", "percentage", "inclusive", "active", "country", "description", "jurisdiction",
                "state", "tax_type", "metadata[*]", "expand[]");
        String name = p.req("display_name");
        BigDecimal pct = Params.decimal(p.root, "percentage", "percentage");
        if (pct == null) {
            throw StripeError.missing("percentage");
        }
        if (pct.signum() < 0 || pct.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw StripeError.invalid("Invalid decimal: percentage must be between 0 and 100.", "percentage");
        }
        Boolean inclusive = p.bool("inclusive");
        if (inclusive == null) {
            throw StripeError.missing("inclusive");
        }
        ObjectNode t = Json.obj();
        t.put("id", Ids.id("txr"));
        t.put("object", "tax_rate");
        t.put("active", p.bool("active") == null || p.bool("active"));
        t.putNull("country");
        t.put("created", now());
        t.putNull("description");
        t.put("display_name", name);
        t.put("effective_percentage", pct);
        t.putNull("flat_amount");
        t.put("inclusive", inclusive);
        t.putNull("jurisdiction");
        t.putNull("jurisdiction_level");
        t.put("livemode", false);
        t.putObject("metadata");
        t.put("percentage", pct);
        t.put("rate_type", "percentage");
        t.putNull("state");
        t.putNull("tax_type");
        apply(t, p);
        store(t);
        emit("tax_rate.created", t, null);
        return t.deepCopy();
    }

    private static void apply(ObjectNode t, Params p) {
        for (String f : TEXT) {
            if (p.has(f)) {
                String v = p.str(f);
                Json.putNullable(t, f, v == null || v.isEmpty() ? null : v);
            }
        }
        if (p.has("tax_type")) {
            Params.checkEnum(p.str("tax_type"), "tax_type", "amusement_tax", "communications_tax", "gst", "hst",
                    "igst", "jct", "lease_tax", "pst", "qst", "retail_delivery_fee", "rst", "sales_tax",
                    "service_tax", "vat");
            t.put("tax_type", p.str("tax_type"));
        }
        if (p.has("display_name")) {
            t.put("display_name", p.req("display_name"));
        }
        if (p.has("active")) {
            t.put("active", p.bool("active"));
        }
        Metadata.merge(t, p.stringMap("metadata"));
    }

    ObjectNode retrieve(String id) {
        return get("tax_rate", id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow("display_name", "active", "country", "description", "jurisdiction", "state", "tax_type",
                "metadata[*]", "expand[]");
        ObjectNode t = get("tax_rate", id, "id");
        ObjectNode before = t.deepCopy();
        apply(t, p);
        updated("tax_rate.updated", t, before);
        return t.deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "active", "inclusive", "created", "created[*]",
                "expand[]");
        Boolean active = p.bool("active");
        Boolean inclusive = p.bool("inclusive");
        return list("tax_rate", "/v1/tax_rates", p, o -> (active == null || o.path("active").asBoolean() == active)
                && (inclusive == null || o.path("inclusive").asBoolean() == inclusive));
    }

    /**
     * The tax a rate puts on {@code amount}, rounded half up to the minor unit: exclusive rates add it, inclusive
     * rates find it inside the amount ({@code amount - amount / (1 + rate)}).
     */
    static long taxOn(ObjectNode rate, long amount) {
        BigDecimal pct = rate.path("percentage").decimalValue();
        BigDecimal a = BigDecimal.valueOf(amount);
        if (rate.path("inclusive").asBoolean()) {
            BigDecimal net = a.multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(100).add(pct), 0,
                    RoundingMode.HALF_UP);
            return amount - net.longValueExact();
        }
        return a.multiply(pct).divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
