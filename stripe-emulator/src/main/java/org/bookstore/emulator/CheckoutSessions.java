package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checkout Sessions: create with line items, expire, and complete when their PaymentIntent is paid. */
final class CheckoutSessions extends Resource {
    private static final String[] SESSION_CREATE = {"mode", "line_items[][price]", "line_items[][quantity]",
        "line_items[][price_data][currency]", "line_items[][price_data][unit_amount]",
        "line_items[][price_data][unit_amount_decimal]", "line_items[][price_data][product]",
        "line_items[][price_data][tax_behavior]", "line_items[][price_data][product_data][name]",
        "line_items[][price_data][product_data][description]", "line_items[][price_data][product_data][images][]",
        "line_items[][price_data][product_data][metadata][*]", "line_items[][price_data][product_data][tax_code]",
        "line_items[][tax_rates][]", "success_url", "cancel_url", "return_url", "client_reference_id",
        "metadata[*]", "payment_intent_data[metadata][*]", "payment_intent_data[description]",
        "payment_intent_data[capture_method]", "payment_intent_data[receipt_email]",
        "payment_intent_data[setup_future_usage]", "payment_intent_data[statement_descriptor]",
        "payment_intent_data[statement_descriptor_suffix]", "payment_intent_data[transfer_group]", "customer",
        "customer_email", "customer_creation", "expires_at", "payment_method_types[]", "ui_mode", "locale",
        "submit_type", "allow_promotion_codes", "discounts[][coupon]", "discounts[][promotion_code]",
        "shipping_options[][shipping_rate]", "shipping_options[][shipping_rate_data][display_name]",
        "shipping_options[][shipping_rate_data][type]", "shipping_options[][shipping_rate_data][fixed_amount][*]",
        "shipping_options[][shipping_rate_data][delivery_estimate][*][*]",
        "shipping_options[][shipping_rate_data][metadata][*]", "shipping_options[][shipping_rate_data][tax_behavior]",
        "shipping_options[][shipping_rate_data][tax_code]", "shipping_address_collection[allowed_countries][]",
        "automatic_tax[enabled]", "expand[]"};

    /** The tax rate ids of each session's line items, in line item order. */
    final Map<String, ArrayNode> itemTaxRates = new HashMap<>();

    /** The session that created each PaymentIntent: Checkout owns those intents. */
    final Map<String, String> sessionByPi = new HashMap<>();

    /** Line items by session id: not part of the session object unless expanded. */
    final Map<String, ArrayNode> lineItems = new HashMap<>();

    /** {@code payment_intent_data} by session id, for the PaymentIntent created when the buyer pays. */
    final Map<String, ObjectNode> pendingIntentData = new HashMap<>();

    /** Sessions completed with a payment still processing. */
    final Set<String> asyncSessions = new HashSet<>();

    /** The earliest {@code expires_at} of an open session, to keep the clock tick cheap. */
    long nextExpiryMillis = Long.MAX_VALUE;

    CheckoutSessions(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        p.allow(SESSION_CREATE);
        String mode = p.req("mode");
        if (!mode.equals("payment")) {
            Params.checkEnum(mode, "mode", "payment", "setup", "subscription");
            throw StripeError.invalid("The emulator supports only `mode=payment`.", "mode");
        }
        String uiMode = p.str("ui_mode") == null ? "hosted_page" : p.str("ui_mode");
        Params.checkEnum(uiMode, "ui_mode", "hosted_page", "embedded_page", "elements", "form");
        List<Object> items = p.list("line_items");
        if (items == null || items.isEmpty()) {
            throw StripeError.invalid("line_items is required in `payment` mode.", "line_items");
        }
        String customer = p.str("customer");
        if (customer != null) {
            get("customer", customer, "customer");
            if (p.has("customer_email")) {
                throw StripeError.invalid("You may only specify one of these parameters: customer, customer_email.",
                        "customer_email");
            }
        }
        if (Boolean.TRUE.equals(Params.bool(p.map("automatic_tax"), "enabled", "automatic_tax[enabled]"))) {
            throw StripeError.invalid("The emulator cannot compute tax: `automatic_tax[enabled]=true` needs Stripe "
                    + "Tax. Use manual tax rates (`line_items[][tax_rates]`) instead.", "automatic_tax[enabled]");
        }
        if (p.has("discounts") && Boolean.TRUE.equals(p.bool("allow_promotion_codes"))) {
            throw StripeError.invalid("You may only specify one of these parameters: allow_promotion_codes, "
                    + "discounts.", "discounts");
        }
        if (p.has("customer_creation")) {
            Params.checkEnum(p.str("customer_creation"), "customer_creation", "always", "if_required");
        }
        if (p.has("submit_type")) {
            Params.checkEnum(p.str("submit_type"), "submit_type", "auto", "book", "donate", "pay", "subscribe");
        }
        long created = now();
        long expiresAt = created + 86400;
        if (p.has("expires_at")) {
            expiresAt = p.reqLong("expires_at");
            if (expiresAt < created + 1800) {
                throw StripeError.invalid("The `expires_at` timestamp must be at least 30 minutes from Checkout "
                        + "Session creation.", "expires_at");
            }
            if (expiresAt > created + 86400) {
                throw StripeError.invalid("The `expires_at` timestamp must be less than 24 hours from Checkout "
                        + "Session creation.", "expires_at");
            }
        }
        String successUrl = p.str("success_url");
        if (uiMode.equals("hosted_page") && successUrl == null) {
            throw StripeError.missing("success_url");
        }
        for (String f : new String[] {"success_url", "cancel_url", "return_url"}) {
            String u = p.str(f);
            if (u != null && !u.matches("(?i)https?://[^\\s]+")) {
                throw StripeError.invalid("url_invalid", "Not a valid URL", f);
            }
        }
        // line items
        ArrayNode lis = Json.arr();
        ArrayNode rates = Json.arr();
        String currency = null;
        long total = 0;
        for (int i = 0; i < items.size(); i++) {
            String prefix = "line_items[" + i + "]";
            if (!(items.get(i) instanceof Map)) {
                throw StripeError.invalid("Invalid object", prefix);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> li = (Map<String, Object>) items.get(i);
            Long qty = Params.lng(li, "quantity", prefix + "[quantity]");
            if (qty == null) {
                throw StripeError.missing(prefix + "[quantity]");
            }
            if (qty < 1 || qty > 999999) {
                throw StripeError.invalid("Quantity must be between 1 and 999999.", prefix + "[quantity]");
            }
            ObjectNode price = lineItemPrice(li, prefix);
            String cur = price.path("currency").asText();
            if (currency == null) {
                currency = cur;
            } else if (!currency.equals(cur)) {
                throw StripeError.invalid("All line items must use the same currency.", prefix);
            }
            long amount = price.path("unit_amount").asLong() * qty;
            total += amount;
            ObjectNode item = Json.obj();
            item.put("id", "li_" + Ids.random(24));
            item.put("object", "item");
            item.putNull("adjustable_quantity");
            item.put("amount_discount", 0);
            item.put("amount_subtotal", amount);
            item.put("amount_tax", 0);
            item.put("amount_total", amount);
            item.put("currency", cur);
            ObjectNode product = table("product").get(price.path("product").asText());
            item.put("description", product == null ? "" : product.path("name").asText());
            item.putNull("metadata");
            item.set("price", price.deepCopy());
            item.put("quantity", qty);
            lis.add(item);
            ArrayNode itemRates = rates.addArray();
            List<Object> tr = Params.list(li, "tax_rates");
            for (int j = 0; tr != null && j < tr.size(); j++) {
                String param = prefix + "[tax_rates][" + j + "]";
                if (!(tr.get(j) instanceof String)) {
                    throw StripeError.invalid("Invalid string", param);
                }
                ObjectNode rate = get("tax_rate", (String) tr.get(j), param);
                if (!rate.path("active").asBoolean()) {
                    throw StripeError.invalid("Tax rate " + rate.path("id").asText() + " is not active.", param);
                }
                itemRates.add(rate.path("id").asText());
            }
        }
        ObjectNode s = Json.obj();
        String id = Ids.checkoutSession();
        s.put("id", id);
        s.put("object", "checkout.session");
        s.putNull("adaptive_pricing");
        s.putNull("after_expiration");
        if (p.has("allow_promotion_codes")) {
            s.put("allow_promotion_codes", p.bool("allow_promotion_codes"));
        } else {
            s.putNull("allow_promotion_codes");
        }
        s.put("amount_subtotal", total);
        s.put("amount_total", total);
        ObjectNode at = s.putObject("automatic_tax");
        at.put("enabled", false);
        at.putNull("liability");
        at.putNull("provider");
        at.putNull("status");
        s.putNull("billing_address_collection");
        Json.putNullable(s, "cancel_url", p.str("cancel_url"));
        Json.putNullable(s, "client_reference_id", p.str("client_reference_id"));
        if (uiMode.equals("hosted_page")) {
            s.putNull("client_secret");
        } else {
            s.put("client_secret", id + "_secret_" + Ids.random(24));
        }
        s.putNull("collected_information");
        s.putNull("consent");
        s.putNull("consent_collection");
        s.put("created", created);
        s.put("currency", currency);
        s.putNull("currency_conversion");
        s.putArray("custom_fields");
        ObjectNode ct = s.putObject("custom_text");
        ct.putNull("after_submit");
        ct.putNull("shipping_address");
        ct.putNull("submit");
        ct.putNull("terms_of_service_acceptance");
        Json.putNullable(s, "customer", customer);
        s.putNull("customer_account");
        if (customer == null) {
            s.put("customer_creation", p.str("customer_creation") == null ? "if_required" : p.str("customer_creation"));
        } else {
            s.putNull("customer_creation");
        }
        s.putNull("customer_details");
        Json.putNullable(s, "customer_email", p.str("customer_email"));
        s.set("discounts", discounts(p, currency, total, customer));
        s.put("expires_at", expiresAt);
        s.putNull("integration_identifier");
        s.putNull("invoice");
        ObjectNode ic = s.putObject("invoice_creation");
        ic.put("enabled", false);
        ObjectNode idata = ic.putObject("invoice_data");
        idata.putNull("account_tax_ids");
        idata.putNull("custom_fields");
        idata.putNull("description");
        idata.putNull("footer");
        idata.putNull("issuer");
        idata.putObject("metadata");
        idata.putNull("rendering_options");
        s.put("livemode", false);
        Json.putNullable(s, "locale", p.str("locale"));
        s.putObject("metadata");
        Metadata.merge(s, p.stringMap("metadata"));
        s.putNull("managed_payments");
        s.put("mode", mode);
        s.putNull("origin_context");
        s.putNull("payment_intent");
        s.putNull("payment_link");
        s.put("payment_method_collection", "if_required");
        s.putNull("payment_method_configuration_details");
        s.putObject("payment_method_options").putObject("card").put("request_three_d_secure", "automatic");
        ArrayNode pmTypes = s.putArray("payment_method_types");
        List<String> requestedTypes = p.strings("payment_method_types");
        if (requestedTypes.isEmpty()) {
            pmTypes.add("card");
        } else {
            for (String t : requestedTypes) {
                Params.checkEnum(t, "payment_method_types", "card", "sepa_debit");
                pmTypes.add(t);
            }
            if (requestedTypes.contains("sepa_debit") && !currency.equals("eur")) {
                throw StripeError.invalid("The payment method type `sepa_debit` does not support the currency "
                        + currency + ". Supported currencies: eur.", "payment_method_types");
            }
        }
        s.put("payment_status", "unpaid");
        s.putNull("permissions");
        s.putObject("phone_number_collection").put("enabled", false);
        s.putNull("recovered_from");
        if (!uiMode.equals("hosted_page")) {
            Json.putNullable(s, "return_url", p.str("return_url"));
        }
        s.putNull("saved_payment_method_options");
        s.putNull("setup_intent");
        List<String> countries = Params.map(p.map("shipping_address_collection"), "allowed_countries") == null
                ? List.of() : stringsOf(Params.list(p.map("shipping_address_collection"), "allowed_countries"),
                        "shipping_address_collection[allowed_countries]");
        if (p.has("shipping_address_collection") && countries.isEmpty()) {
            throw StripeError.missing("shipping_address_collection[allowed_countries]");
        }
        if (countries.isEmpty()) {
            s.putNull("shipping_address_collection");
        } else {
            ArrayNode ac = s.putObject("shipping_address_collection").putArray("allowed_countries");
            for (String c : countries) {
                if (!c.matches("[A-Z]{2}")) {
                    throw StripeError.invalid("Invalid shipping_address_collection[allowed_countries]: " + c
                            + " is not a two-letter country code.", "shipping_address_collection[allowed_countries]");
                }
                ac.add(c);
            }
        }
        s.putNull("shipping_cost");
        s.set("shipping_options", shippingOptions(p, currency));
        s.put("status", "open");
        Json.putNullable(s, "submit_type", p.str("submit_type"));
        s.putNull("subscription");
        Json.putNullable(s, "success_url", successUrl);
        ObjectNode td = s.putObject("total_details");
        td.put("amount_discount", 0);
        td.put("amount_shipping", 0);
        td.put("amount_tax", 0);
        s.put("ui_mode", uiMode);
        if (uiMode.equals("hosted_page")) {
            s.put("url", host.baseUrl() + "/c/pay/" + id);
        } else {
            s.putNull("url");
        }
        s.putNull("wallet_options");
        if (s.path("shipping_options").size() > 0) {
            s.set("shipping_cost", shippingCost(s.path("shipping_options").get(0).path("shipping_rate").asText()));
        }
        computeTotals(s, lis, rates);
        long due = s.path("amount_total").asLong();
        if (due < Money.minimum(currency)) {
            throw StripeError.invalid("amount_too_small", "The Checkout Session's total amount due must add up to "
                    + "at least " + Money.format(Money.minimum(currency), currency) + " " + currency, null);
        }
        if (due > 99_999_999L) {
            throw StripeError.invalid("amount_too_large", "The Checkout Session's total amount due must be no more "
                    + "than " + Money.format(99_999_999L, currency) + " " + currency, null);
        }
        store(s);
        nextExpiryMillis = Math.min(nextExpiryMillis, expiresAt * 1000);
        lineItems.put(id, lis);
        itemTaxRates.put(id, rates);
        // what the PaymentIntent will get when the buyer pays
        ObjectNode pid = Json.obj();
        Map<String, Object> pidata = p.map("payment_intent_data");
        if (pidata != null) {
            ObjectNode md = Params.stringMap(pidata, "metadata");
            pid.set("metadata", md == null ? Json.obj() : md);
            Json.putNullable(pid, "description", Params.str(pidata, "description"));
            Json.putNullable(pid, "capture_method", Params.str(pidata, "capture_method"));
            Json.putNullable(pid, "receipt_email", Params.str(pidata, "receipt_email"));
            StatementDescriptors.validateSuffix(Params.str(pidata, "statement_descriptor_suffix"),
                    "payment_intent_data[statement_descriptor_suffix]");
            for (String f : new String[] {"setup_future_usage", "statement_descriptor", "statement_descriptor_suffix",
                "transfer_group"}) {
                Json.putNullable(pid, f, Params.str(pidata, f));
            }
            String cm = Params.str(pidata, "capture_method");
            if (cm != null) {
                Params.checkEnum(cm, "payment_intent_data[capture_method]", "automatic", "automatic_async",
                        "manual");
            }
        }
        pendingIntentData.put(id, pid);
        return s.deepCopy();
    }

    private static List<String> stringsOf(List<Object> l, String param) {
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof String)) {
                throw StripeError.invalid("Invalid array", param);
            }
            out.add((String) o);
        }
        return out;
    }

    /** {@code discounts[]}: one coupon or promotion code, valid for this purchase. */
    private ArrayNode discounts(Params p, String currency, long subtotal, String customer) {
        ArrayNode out = Json.arr();
        List<Object> ds = p.list("discounts");
        if (ds == null || ds.isEmpty()) {
            return out;
        }
        if (ds.size() > 1) {
            throw StripeError.invalid("You may only specify one discount for a Checkout Session in payment mode.",
                    "discounts");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> d = ds.get(0) instanceof Map ? (Map<String, Object>) ds.get(0) : Map.of();
        String couponId = Params.str(d, "coupon");
        String promoId = Params.str(d, "promotion_code");
        if ((couponId == null) == (promoId == null)) {
            throw StripeError.invalid("You must specify exactly one of `coupon` or `promotion_code` in a discount.",
                    "discounts[0]");
        }
        ObjectNode coupon;
        if (promoId != null) {
            ObjectNode pc = get("promotion_code", promoId, "discounts[0][promotion_code]");
            String why = engine.coupons.unusable(pc, subtotal, currency, customer);
            if (why != null) {
                throw StripeError.invalid("The promotion code " + pc.path("code").asText() + " cannot be used: "
                        + why, "discounts[0][promotion_code]");
            }
            coupon = engine.coupons.coupon(pc.path("promotion").path("coupon").asText(), "discounts[0][promotion_code]");
        } else {
            coupon = engine.coupons.coupon(couponId, "discounts[0][coupon]");
            if (!coupon.path("valid").asBoolean()) {
                throw StripeError.invalid("Coupon " + couponId + " is no longer valid.", "discounts[0][coupon]");
            }
            if (coupon.path("amount_off").isNumber() && !coupon.path("currency").asText().equals(currency)) {
                throw StripeError.invalid("The coupon " + couponId + " is in " + coupon.path("currency").asText()
                        + " and cannot be applied to a Checkout Session in " + currency + ".", "discounts[0][coupon]");
            }
        }
        ObjectNode o = out.addObject();
        o.put("coupon", coupon.path("id").asText());
        Json.putNullable(o, "promotion_code", promoId);
        return out;
    }

    /** {@code shipping_options[]}: existing rates or rates made from {@code shipping_rate_data}, in the session's currency. */
    private ArrayNode shippingOptions(Params p, String currency) {
        ArrayNode out = Json.arr();
        List<Object> opts = p.list("shipping_options");
        for (int i = 0; opts != null && i < opts.size(); i++) {
            String prefix = "shipping_options[" + i + "]";
            @SuppressWarnings("unchecked")
            Map<String, Object> o = opts.get(i) instanceof Map ? (Map<String, Object>) opts.get(i) : Map.of();
            ObjectNode rate;
            if (o.containsKey("shipping_rate")) {
                rate = get("shipping_rate", Params.str(o, "shipping_rate"), prefix + "[shipping_rate]");
                if (!rate.path("active").asBoolean()) {
                    throw StripeError.invalid("The shipping rate " + rate.path("id").asText() + " is not active.",
                            prefix + "[shipping_rate]");
                }
            } else if (o.containsKey("shipping_rate_data")) {
                rate = engine.shippingRates.newRate(Params.map(o, "shipping_rate_data"), prefix + "[shipping_rate_data]");
            } else {
                throw StripeError.invalid("You must specify either `shipping_rate` or `shipping_rate_data`.", prefix);
            }
            if (!rate.path("fixed_amount").path("currency").asText().equals(currency)) {
                throw StripeError.invalid("The shipping rate's currency ("
                        + rate.path("fixed_amount").path("currency").asText() + ") must match the Checkout Session's ("
                        + currency + ").", prefix);
            }
            ObjectNode so = out.addObject();
            so.put("shipping_amount", rate.path("fixed_amount").path("amount").asLong());
            so.put("shipping_rate", rate.path("id").asText());
        }
        return out;
    }

    private ObjectNode shippingCost(String rateId) {
        ObjectNode rate = get("shipping_rate", rateId, "shipping_rate");
        long amount = rate.path("fixed_amount").path("amount").asLong();
        ObjectNode c = Json.obj();
        c.put("amount_subtotal", amount);
        c.put("amount_tax", 0); // manual tax rates do not apply to shipping
        c.put("amount_total", amount);
        c.put("shipping_rate", rateId);
        return c;
    }

    /**
     * The session's totals as Stripe computes them: the discount spread over the line items in proportion to their
     * subtotals (the remainder on the last), each line's tax rates applied to its discounted amount (exclusive
     * rates add to it, inclusive ones are inside it), then shipping added.
     */
    void computeTotals(ObjectNode s, ArrayNode items, ArrayNode rates) {
        long subtotal = 0;
        for (JsonNode li : items) {
            subtotal += li.path("amount_subtotal").asLong();
        }
        JsonNode discount = s.path("discounts").path(0);
        ObjectNode coupon = discount.path("coupon").isTextual() ? table("coupon").get(discount.path("coupon").asText())
                : null;
        long discountTotal = coupon == null ? 0 : Coupons.discountOn(coupon, subtotal);
        long spread = 0;
        long taxTotal = 0;
        long total = 0;
        for (int i = 0; i < items.size(); i++) {
            ObjectNode li = (ObjectNode) items.get(i);
            long sub = li.path("amount_subtotal").asLong();
            long disc = i == items.size() - 1 ? discountTotal - spread
                    : subtotal == 0 ? 0 : java.math.BigDecimal.valueOf(discountTotal).multiply(
                            java.math.BigDecimal.valueOf(sub)).divide(java.math.BigDecimal.valueOf(subtotal), 0,
                            java.math.RoundingMode.DOWN).longValueExact();
            spread += disc;
            long taxable = sub - disc;
            long tax = 0;
            long added = 0;
            for (JsonNode rid : rates.path(i)) {
                ObjectNode rate = table("tax_rate").get(rid.asText());
                if (rate == null) {
                    continue;
                }
                long t = TaxRates.taxOn(rate, taxable);
                tax += t;
                if (!rate.path("inclusive").asBoolean()) {
                    added += t;
                }
            }
            li.put("amount_discount", disc);
            li.put("amount_tax", tax);
            li.put("amount_total", taxable + added);
            taxTotal += tax;
            total += taxable + added;
        }
        long shipping = s.path("shipping_cost").isObject() ? s.path("shipping_cost").path("amount_total").asLong() : 0;
        s.put("amount_subtotal", subtotal);
        s.put("amount_total", total + shipping);
        ObjectNode td = s.putObject("total_details");
        td.put("amount_discount", discountTotal);
        td.put("amount_shipping", shipping);
        td.put("amount_tax", taxTotal);
    }

    /**
     * The buyer, on the hosted page, applies a promotion code or picks a shipping option: the totals change while
     * no payment has been attempted, or the last attempt failed. Returns the buyer's error, or null.
     */
    String choose(ObjectNode s, String promotionCode, String shippingRate) {
        String id = s.path("id").asText();
        ObjectNode pi = s.path("payment_intent").isTextual() ? table("payment_intent").get(
                s.path("payment_intent").asText()) : null;
        if (pi != null && !pi.path("status").asText().equals("requires_payment_method")) {
            return "This payment is already in progress.";
        }
        if (promotionCode != null && !promotionCode.isBlank()) {
            if (!s.path("allow_promotion_codes").asBoolean()) {
                return "Promotion codes cannot be used for this payment.";
            }
            ObjectNode pc = engine.coupons.activeCode(promotionCode.trim());
            String why = pc == null ? "This code is invalid." : engine.coupons.unusable(pc,
                    s.path("amount_subtotal").asLong(), s.path("currency").asText(),
                    s.path("customer").isTextual() ? s.path("customer").asText() : null);
            if (why != null) {
                return why;
            }
            ArrayNode ds = s.putArray("discounts");
            ObjectNode d = ds.addObject();
            d.put("coupon", pc.path("promotion").path("coupon").asText());
            d.put("promotion_code", pc.path("id").asText());
        }
        if (shippingRate != null && !shippingRate.isBlank()) {
            boolean offered = false;
            for (JsonNode o : s.path("shipping_options")) {
                offered |= o.path("shipping_rate").asText().equals(shippingRate);
            }
            if (!offered) {
                return "Choose a shipping option.";
            }
            s.set("shipping_cost", shippingCost(shippingRate));
        }
        computeTotals(s, lineItems.getOrDefault(id, Json.arr()), itemTaxRates.getOrDefault(id, Json.arr()));
        if (s.path("amount_total").asLong() < Money.minimum(s.path("currency").asText())) {
            return "The total is below the minimum amount that can be charged.";
        }
        if (pi != null) {
            pi.put("amount", s.path("amount_total").asLong());
        }
        return null;
    }

    /** A line item's price: an active one-time price, or one made from {@code price_data} (product inline). */
    private ObjectNode lineItemPrice(Map<String, Object> li, String prefix) {
        if (li.containsKey("price")) {
            ObjectNode price = get("price", Params.str(li, "price"), prefix + "[price]");
            if (!price.path("type").asText().equals("one_time")) {
                throw StripeError.invalid("You specified `payment` mode but passed a recurring price. Either "
                        + "switch to `subscription` mode or use only one-time prices.", prefix + "[price]");
            }
            if (!price.path("active").asBoolean()) {
                throw StripeError.invalid("The price specified is inactive. This field only accepts active "
                        + "prices.", prefix + "[price]");
            }
            return price;
        }
        if (li.containsKey("price_data")) {
            Map<String, Object> pd = Params.map(li, "price_data");
            String cur = Params.str(pd, "currency");
            if (cur == null) {
                throw StripeError.missing(prefix + "[price_data][currency]");
            }
            cur = cur.toLowerCase();
            Money.validateCurrency(cur, prefix + "[price_data][currency]");
            long ua = Prices.unitAmount(pd, prefix + "[price_data][unit_amount]");
            String productId;
            if (pd.containsKey("product")) {
                productId = get("product", Params.str(pd, "product"), prefix + "[price_data][product]")
                        .path("id").asText();
            } else {
                Map<String, Object> prod = Params.map(pd, "product_data");
                if (prod == null) {
                    throw StripeError.invalid("You must specify either `product` or `product_data` when "
                            + "creating a price.", prefix + "[price_data][product_data]");
                }
                String name = Params.str(prod, "name");
                if (name == null || name.isEmpty()) {
                    throw StripeError.missing(prefix + "[price_data][product_data][name]");
                }
                Params.maxLength(name, Products.MAX_NAME, prefix + "[price_data][product_data][name]");
                Map<String, Object> rest = new LinkedHashMap<>(prod);
                rest.remove("name");
                productId = engine.products.newProduct(name, Params.of(rest), false).path("id").asText();
            }
            ObjectNode price = engine.prices.newPrice(cur, ua, productId, null, false);
            String tb = Params.str(pd, "tax_behavior");
            if (tb != null) {
                Params.checkEnum(tb, prefix + "[price_data][tax_behavior]", "exclusive", "inclusive", "unspecified");
                price.put("tax_behavior", tb);
            }
            return price;
        }
        throw StripeError.invalid("You must specify either `price` or `price_data` in each line item.", prefix);
    }

    ObjectNode retrieve(String id) {
        return get("checkout.session", id, "session").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow("metadata[*]", "expand[]");
        ObjectNode s = get("checkout.session", id, "session");
        Metadata.merge(s, p.stringMap("metadata"));
        return s.deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "payment_intent", "customer", "status", "created",
                "created[*]", "expand[]", "customer_details[email]");
        String pi = p.str("payment_intent");
        String customer = p.str("customer");
        String status = p.str("status");
        String email = Params.str(p.map("customer_details"), "email");
        return list("checkout.session", "/v1/checkout/sessions", p,
                o -> (email == null || email.equalsIgnoreCase(o.path("customer_details").path("email").asText()))
                        && (pi == null || pi.equals(o.path("payment_intent").asText()))
                        && (customer == null || customer.equals(o.path("customer").asText()))
                        && (status == null || status.equals(o.path("status").asText())));
    }

    ObjectNode listLineItems(String id, Params p) {
        p.allow("limit", "starting_after", "ending_before", "expand[]");
        get("checkout.session", id, "session");
        return Pagination.page(lineItemList(id), "/v1/checkout/sessions/" + id + "/line_items", p);
    }

    List<ObjectNode> lineItemList(String id) {
        List<ObjectNode> l = new ArrayList<>();
        lineItems.getOrDefault(id, Json.arr()).forEach(x -> l.add((ObjectNode) x));
        return l;
    }

    ArrayNode lineItemsOf(String id) {
        return lineItems.getOrDefault(id, Json.arr()).deepCopy();
    }

    /** Expires the open sessions whose {@code expires_at} has passed. */
    void expireDue(long nowMillis) {
        if (nextExpiryMillis > nowMillis) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (ObjectNode s : new ArrayList<>(table("checkout.session").values())) {
            if (!s.path("status").asText().equals("open")) {
                continue;
            }
            long at = s.path("expires_at").asLong() * 1000;
            if (at <= nowMillis) {
                expireSession(s);
            } else {
                next = Math.min(next, at);
            }
        }
        nextExpiryMillis = next;
    }

    ObjectNode expire(String id, Params p) {
        p.allow("expand[]");
        ObjectNode s = get("checkout.session", id, "session");
        if (!s.path("status").asText().equals("open")) {
            throw StripeError.invalid("Only Checkout Sessions with a status in [\"open\"] can be expired.", null);
        }
        expireSession(s);
        return s.deepCopy();
    }

    private void expireSession(ObjectNode s) {
        ObjectNode before = s.deepCopy();
        s.put("status", "expired");
        s.putNull("url");
        String piId = s.path("payment_intent").asText(null);
        if (piId != null) {
            ObjectNode pi = table("payment_intent").get(piId);
            String st = pi == null ? "" : pi.path("status").asText();
            if (st.equals("requires_payment_method") || st.equals("requires_action")
                    || st.equals("requires_confirmation")) {
                engine.paymentIntents.canceled(pi, "abandoned");
            }
        }
        emit("checkout.session.expired", s, Json.diff(before, s));
    }

    /** The session's PaymentIntent, created from {@code payment_intent_data} at the first payment attempt. */
    ObjectNode paymentIntentOf(ObjectNode s) {
        String sessionId = s.path("id").asText();
        if (s.path("payment_intent").isNull()) {
            ObjectNode pid = pendingIntentData.getOrDefault(sessionId, Json.obj());
            ObjectNode pi = engine.paymentIntents.newPaymentIntent(s.path("amount_total").asLong(),
                    s.path("currency").asText(), s.path("customer").isNull() ? null : s.path("customer").asText(),
                    pid.has("metadata") ? (ObjectNode) pid.get("metadata") : null,
                    pid.path("description").isTextual() ? pid.path("description").asText() : null);
            pi.putNull("automatic_payment_methods");
            pi.putNull("payment_method_configuration_details");
            pi.set("payment_method_types", s.path("payment_method_types").deepCopy());
            if (pid.path("capture_method").isTextual()) {
                pi.put("capture_method", pid.path("capture_method").asText());
            }
            for (String f : new String[] {"receipt_email", "setup_future_usage", "statement_descriptor",
                "statement_descriptor_suffix", "transfer_group"}) {
                if (pid.path(f).isTextual()) {
                    pi.put(f, pid.path(f).asText());
                }
            }
            store(pi);
            sessionByPi.put(pi.path("id").asText(), sessionId);
            s.put("payment_intent", pi.path("id").asText());
            emit("payment_intent.created", pi, null);
            return pi;
        }
        return engine.paymentIntents.pi(s.path("payment_intent").asText(), "payment_intent");
    }

    /** The Checkout Session that created the PaymentIntent, or null. */
    String sessionOf(String piId) {
        return sessionByPi.get(piId);
    }

    /** A delayed payment (SEPA Direct Debit) started: the session completes unpaid and waits for the outcome. */
    void onPaymentProcessing(ObjectNode pi) {
        String sid = sessionByPi.get(pi.path("id").asText());
        if (sid != null) {
            asyncSessions.add(sid);
            completeSession(pi, "unpaid");
        }
    }

    void onDelayedPaymentFailed(String piId) {
        String sid = sessionByPi.get(piId);
        if (sid != null && asyncSessions.remove(sid)) {
            ObjectNode s = table("checkout.session").get(sid);
            emit("checkout.session.async_payment_failed", s, null);
        }
    }

    void onPaymentSucceeded(ObjectNode pi) {
        completeSession(pi, "paid");
    }

    void completeSession(ObjectNode pi, String paymentStatus) {
        String sid = sessionByPi.get(pi.path("id").asText());
        if (sid == null) {
            return;
        }
        ObjectNode s = table("checkout.session").get(sid);
        if (s == null) {
            return;
        }
        if (!s.path("status").asText().equals("open")) {
            if (s.path("status").asText().equals("complete") && paymentStatus.equals("paid")
                    && !s.path("payment_status").asText().equals("paid")) {
                // a delayed payment settled
                ObjectNode before = s.deepCopy();
                s.put("payment_status", "paid");
                if (asyncSessions.remove(sid)) {
                    emit("checkout.session.async_payment_succeeded", s, Json.diff(before, s));
                }
            }
            return;
        }
        ObjectNode before = s.deepCopy();
        if (s.path("customer").isNull() && "always".equals(s.path("customer_creation").asText())) {
            Params cp = Params.empty();
            JsonNode details = s.path("customer_details");
            if (details.path("email").isTextual()) {
                cp.root.put("email", details.path("email").asText());
            }
            if (details.path("name").isTextual()) {
                cp.root.put("name", details.path("name").asText());
            }
            ObjectNode c = engine.customers.create(cp);
            s.put("customer", c.path("id").asText());
            pi.put("customer", c.path("id").asText());
        }
        s.put("status", "complete");
        s.put("payment_status", paymentStatus);
        JsonNode d = s.path("discounts").path(0);
        if (d.isObject()) {
            engine.coupons.redeemed(d.path("coupon").asText(null), d.path("promotion_code").asText(null));
        }
        s.putNull("url");
        updated("checkout.session.completed", s, before);
    }
}
