package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;

/** Coupons (percent or amount off) and the promotion codes customers type to apply them. */
final class Coupons extends Resource {
    Coupons(Engine engine) {
        super(engine);
    }

    // ------------------------------------------------------------------ coupons

    ObjectNode create(Params p) {
        p.allow("id", "percent_off", "amount_off", "currency", "duration", "duration_in_months", "max_redemptions",
                "redeem_by", "name", "metadata[*]", "expand[]");
        BigDecimal percent = Params.decimal(p.root, "percent_off", "percent_off");
        Long amountOff = p.lng("amount_off");
        if (percent == null && amountOff == null) {
            throw StripeError.invalid("You must pass either `percent_off` or `amount_off`.", null);
        }
        if (percent != null && amountOff != null) {
            throw StripeError.invalid("You may only specify one of these parameters: amount_off, percent_off.",
                    "amount_off");
        }
        String currency = p.str("currency") == null ? null : p.str("currency").toLowerCase();
        if (percent != null && (percent.signum() <= 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0)) {
            throw StripeError.invalid("Invalid decimal: percent_off must be greater than 0 and at most 100.",
                    "percent_off");
        }
        if (amountOff != null) {
            if (amountOff <= 0) {
                throw StripeError.invalid("Invalid positive integer", "amount_off");
            }
            if (currency == null) {
                throw StripeError.missing("currency");
            }
        }
        if (currency != null) {
            Money.validateCurrency(currency, "currency");
        }
        String duration = p.str("duration") == null ? "once" : p.str("duration");
        Params.checkEnum(duration, "duration", "forever", "once", "repeating");
        Long months = p.lng("duration_in_months");
        if (duration.equals("repeating") && months == null) {
            throw StripeError.missing("duration_in_months");
        }
        if (!duration.equals("repeating") && months != null) {
            throw StripeError.invalid("You can only pass `duration_in_months` when `duration` is `repeating`.",
                    "duration_in_months");
        }
        String id = p.str("id") == null ? Ids.random(8) : p.str("id");
        if (table("coupon").containsKey(id)) {
            throw StripeError.invalid("resource_already_exists", "Coupon already exists.", "id");
        }
        ObjectNode c = Json.obj();
        c.put("id", id);
        c.put("object", "coupon");
        if (amountOff == null) {
            c.putNull("amount_off");
        } else {
            c.put("amount_off", amountOff);
        }
        c.put("created", now());
        Json.putNullable(c, "currency", currency);
        c.put("duration", duration);
        if (months == null) {
            c.putNull("duration_in_months");
        } else {
            c.put("duration_in_months", months);
        }
        c.put("livemode", false);
        Long max = p.lng("max_redemptions");
        if (max == null) {
            c.putNull("max_redemptions");
        } else {
            c.put("max_redemptions", max);
        }
        c.putObject("metadata");
        Metadata.merge(c, p.stringMap("metadata"));
        Json.putNullable(c, "name", p.str("name"));
        if (percent == null) {
            c.putNull("percent_off");
        } else {
            c.put("percent_off", percent);
        }
        Long redeemBy = p.lng("redeem_by");
        if (redeemBy == null) {
            c.putNull("redeem_by");
        } else {
            c.put("redeem_by", redeemBy);
        }
        c.put("times_redeemed", 0);
        c.put("valid", true);
        store(c);
        emit("coupon.created", c, null);
        return c.deepCopy();
    }

    /** A coupon, its {@code valid} brought up to date (redeem_by passed, redemptions used up). */
    ObjectNode coupon(String id, String param) {
        ObjectNode c = get("coupon", id, param);
        boolean expired = c.path("redeem_by").isNumber() && c.path("redeem_by").asLong() <= now();
        boolean used = c.path("max_redemptions").isNumber()
                && c.path("times_redeemed").asLong() >= c.path("max_redemptions").asLong();
        c.put("valid", !expired && !used);
        return c;
    }

    ObjectNode retrieve(String id) {
        return coupon(id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow("name", "metadata[*]", "expand[]");
        ObjectNode c = coupon(id, "id");
        ObjectNode before = c.deepCopy();
        if (p.has("name")) {
            Json.putNullable(c, "name", p.str("name").isEmpty() ? null : p.str("name"));
        }
        Metadata.merge(c, p.stringMap("metadata"));
        updated("coupon.updated", c, before);
        return c.deepCopy();
    }

    ObjectNode delete(String id) {
        ObjectNode c = coupon(id, "id");
        engine.remove("coupon", id);
        emit("coupon.deleted", c, null);
        return Json.deleted(id, "coupon");
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "created", "created[*]", "expand[]");
        for (String id : table("coupon").keySet()) {
            coupon(id, "id");
        }
        return list("coupon", "/v1/coupons", p, o -> true);
    }

    /** What {@code coupon} takes off {@code amount} in {@code currency}; the caller spreads it over line items. */
    static long discountOn(ObjectNode coupon, long amount) {
        if (coupon.path("percent_off").isNumber()) {
            return coupon.path("percent_off").decimalValue().multiply(BigDecimal.valueOf(amount))
                    .divide(BigDecimal.valueOf(100), 0, java.math.RoundingMode.HALF_UP).longValueExact();
        }
        return Math.min(amount, coupon.path("amount_off").asLong());
    }

    // ------------------------------------------------------------------ promotion codes

    ObjectNode createPromotionCode(Params p) {
        p.allow("promotion[type]", "promotion[coupon]", "code", "active", "customer", "expires_at",
                "max_redemptions", "metadata[*]", "restrictions[first_time_transaction]",
                "restrictions[minimum_amount]", "restrictions[minimum_amount_currency]", "expand[]");
        Map<String, Object> promotion = p.map("promotion");
        if (promotion == null) {
            throw StripeError.missing("promotion");
        }
        String type = Params.str(promotion, "type");
        if (type == null) {
            throw StripeError.missing("promotion[type]");
        }
        Params.checkEnum(type, "promotion[type]", "coupon");
        String couponId = Params.str(promotion, "coupon");
        if (couponId == null) {
            throw StripeError.missing("promotion[coupon]");
        }
        ObjectNode coupon = coupon(couponId, "promotion[coupon]");
        String code = p.str("code") == null ? Ids.random(8).toUpperCase() : p.str("code");
        if (!code.matches("[A-Za-z0-9_-]{1,500}")) {
            throw StripeError.invalid("Invalid code: a promotion code may contain only letters, digits, `-` and "
                    + "`_`.", "code");
        }
        if (activeCode(code) != null) {
            throw StripeError.invalid("resource_already_exists", "An active promotion code with `code: " + code
                    + "` already exists.", "code");
        }
        String customer = p.str("customer");
        if (customer != null) {
            get("customer", customer, "customer");
        }
        ObjectNode pc = Json.obj();
        pc.put("id", Ids.id("promo"));
        pc.put("object", "promotion_code");
        pc.put("active", p.bool("active") == null || p.bool("active"));
        pc.put("code", code);
        pc.put("created", now());
        Json.putNullable(pc, "customer", customer);
        pc.putNull("customer_account");
        Long expires = p.lng("expires_at");
        if (expires == null) {
            pc.putNull("expires_at");
        } else {
            pc.put("expires_at", expires);
        }
        pc.put("livemode", false);
        Long max = p.lng("max_redemptions");
        if (max == null) {
            pc.putNull("max_redemptions");
        } else {
            pc.put("max_redemptions", max);
        }
        pc.putObject("metadata");
        Metadata.merge(pc, p.stringMap("metadata"));
        ObjectNode pr = pc.putObject("promotion");
        pr.put("coupon", coupon.path("id").asText());
        pr.put("type", "coupon");
        ObjectNode r = pc.putObject("restrictions");
        Map<String, Object> rs = p.map("restrictions");
        Boolean first = Params.bool(rs, "first_time_transaction", "restrictions[first_time_transaction]");
        r.put("first_time_transaction", first != null && first);
        Long min = Params.lng(rs, "minimum_amount", "restrictions[minimum_amount]");
        String minCur = Params.str(rs, "minimum_amount_currency");
        if (min != null && minCur == null) {
            throw StripeError.missing("restrictions[minimum_amount_currency]");
        }
        if (minCur != null) {
            Money.validateCurrency(minCur.toLowerCase(), "restrictions[minimum_amount_currency]");
        }
        if (min == null) {
            r.putNull("minimum_amount");
        } else {
            r.put("minimum_amount", min);
        }
        Json.putNullable(r, "minimum_amount_currency", minCur == null ? null : minCur.toLowerCase());
        pc.put("times_redeemed", 0);
        store(pc);
        emit("promotion_code.created", pc, null);
        return pc.deepCopy();
    }

    /** The active promotion code with this code (case-insensitive, as customers type it), or null. */
    ObjectNode activeCode(String code) {
        for (ObjectNode pc : table("promotion_code").values()) {
            if (pc.path("active").asBoolean() && pc.path("code").asText().equalsIgnoreCase(code)) {
                return pc;
            }
        }
        return null;
    }

    /**
     * Why a promotion code cannot be used on a purchase of {@code amount} {@code currency} by {@code customer},
     * in the words Checkout shows, or null when it can.
     */
    String unusable(ObjectNode pc, long amount, String currency, String customer) {
        ObjectNode coupon = table("coupon").get(pc.path("promotion").path("coupon").asText());
        boolean expired = pc.path("expires_at").isNumber() && pc.path("expires_at").asLong() <= now();
        boolean used = pc.path("max_redemptions").isNumber()
                && pc.path("times_redeemed").asLong() >= pc.path("max_redemptions").asLong();
        if (!pc.path("active").asBoolean() || expired || used || coupon == null
                || !coupon(coupon.path("id").asText(), "coupon").path("valid").asBoolean()) {
            return "This code is invalid.";
        }
        if (pc.path("customer").isTextual() && !pc.path("customer").asText().equals(customer)) {
            return "This code is invalid.";
        }
        if (coupon.path("amount_off").isNumber() && !coupon.path("currency").asText().equals(currency)) {
            return "This code is invalid.";
        }
        JsonRestrictions r = new JsonRestrictions(pc.path("restrictions"));
        if (r.minimum != null && r.currency.equals(currency) && amount < r.minimum) {
            return "This code requires a minimum purchase of " + Money.format(r.minimum, currency) + ".";
        }
        return null;
    }

    private static final class JsonRestrictions {
        final Long minimum;
        final String currency;

        JsonRestrictions(com.fasterxml.jackson.databind.JsonNode r) {
            minimum = r.path("minimum_amount").isNumber() ? r.path("minimum_amount").asLong() : null;
            currency = r.path("minimum_amount_currency").asText("");
        }
    }

    ObjectNode retrievePromotionCode(String id) {
        return get("promotion_code", id, "id").deepCopy();
    }

    ObjectNode updatePromotionCode(String id, Params p) {
        p.allow("active", "metadata[*]", "expand[]");
        ObjectNode pc = get("promotion_code", id, "id");
        ObjectNode before = pc.deepCopy();
        Boolean active = p.bool("active");
        if (active != null) {
            if (active && !pc.path("active").asBoolean() && activeCode(pc.path("code").asText()) != null) {
                throw StripeError.invalid("resource_already_exists", "An active promotion code with `code: "
                        + pc.path("code").asText() + "` already exists.", "active");
            }
            pc.put("active", active);
        }
        Metadata.merge(pc, p.stringMap("metadata"));
        updated("promotion_code.updated", pc, before);
        return pc.deepCopy();
    }

    ObjectNode listPromotionCodes(Params p) {
        p.allow("limit", "starting_after", "ending_before", "active", "code", "coupon", "customer", "created",
                "created[*]", "expand[]");
        Boolean active = p.bool("active");
        String code = p.str("code");
        String coupon = p.str("coupon");
        String customer = p.str("customer");
        return list("promotion_code", "/v1/promotion_codes", p,
                o -> (active == null || o.path("active").asBoolean() == active)
                        && (code == null || code.equalsIgnoreCase(o.path("code").asText()))
                        && (coupon == null || coupon.equals(o.path("promotion").path("coupon").asText()))
                        && (customer == null || customer.equals(o.path("customer").asText())));
    }

    /** A completed purchase used the discount: the coupon and promotion code count one more redemption. */
    void redeemed(String couponId, String promotionCodeId) {
        ObjectNode c = couponId == null ? null : table("coupon").get(couponId);
        if (c != null) {
            c.put("times_redeemed", c.path("times_redeemed").asLong() + 1);
        }
        ObjectNode pc = promotionCodeId == null ? null : table("promotion_code").get(promotionCodeId);
        if (pc != null) {
            pc.put("times_redeemed", pc.path("times_redeemed").asLong() + 1);
        }
    }
}
