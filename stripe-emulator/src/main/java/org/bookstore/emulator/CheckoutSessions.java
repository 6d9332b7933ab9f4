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
        "line_items[][adjustable_quantity][*]", "line_items[][tax_rates][]", "success_url", "cancel_url",
        "return_url", "client_reference_id", "metadata[*]", "payment_intent_data[metadata][*]",
        "payment_intent_data[description]", "payment_intent_data[capture_method]",
        "payment_intent_data[receipt_email]", "payment_intent_data[setup_future_usage]",
        "payment_intent_data[statement_descriptor]", "payment_intent_data[statement_descriptor_suffix]",
        "payment_intent_data[shipping][*]", "customer", "customer_email", "customer_creation", "expires_at",
        "payment_method_types[]", "ui_mode", "locale", "submit_type", "billing_address_collection",
        "allow_promotion_codes", "expand[]", "currency", "phone_number_collection[*]",
        "shipping_address_collection[allowed_countries][]", "automatic_tax[*]", "custom_text[*]",
        "custom_text[*][*]", "consent_collection[*]", "invoice_creation[*]", "payment_method_options[*]",
        "payment_method_options[card][*]", "redirect_on_completion",
        // accepted and ignored
        "adaptive_pricing[**]", "after_expiration[**]", "branding_settings[**]", "customer_update[**]",
        "excluded_payment_method_types[]", "integration_identifier", "name_collection[**]", "optional_items[**]",
        "origin_context", "payment_method_collection", "payment_method_configuration", "payment_method_data[**]",
        "permissions[**]", "saved_payment_method_options[**]", "tax_id_collection[**]", "wallet_options[**]",
        "discounts[**]", "shipping_options[**]", "custom_fields[**]", "payment_intent_data[transfer_group]",
        "payment_intent_data[on_behalf_of]", "payment_intent_data[transfer_data][**]",
        "payment_intent_data[application_fee_amount]", "payment_method_options[**]", "consent_collection[**]",
        "invoice_creation[**]", "custom_text[**]", "automatic_tax[**]"};

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
        }
        if (total < Money.minimum(currency)) {
            throw StripeError.invalid("amount_too_small", "The Checkout Session's total amount due must add up to "
                    + "at least " + Money.format(Money.minimum(currency), currency) + " " + currency, null);
        }
        if (total > 99_999_999L) {
            throw StripeError.invalid("amount_too_large", "The Checkout Session's total amount due must be no more "
                    + "than " + Money.format(99_999_999L, currency) + " " + currency, null);
        }
        ObjectNode s = Json.obj();
        String id = Ids.checkoutSession();
        s.put("id", id);
        s.put("object", "checkout.session");
        s.putNull("adaptive_pricing");
        s.putNull("after_expiration");
        s.putNull("allow_promotion_codes");
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
        s.putArray("discounts");
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
        s.putNull("shipping_address_collection");
        s.putNull("shipping_cost");
        s.putArray("shipping_options");
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
        store(s);
        nextExpiryMillis = Math.min(nextExpiryMillis, expiresAt * 1000);
        lineItems.put(id, lis);
        // what the PaymentIntent will get when the buyer pays
        ObjectNode pid = Json.obj();
        Map<String, Object> pidata = p.map("payment_intent_data");
        if (pidata != null) {
            ObjectNode md = Params.stringMap(pidata, "metadata");
            pid.set("metadata", md == null ? Json.obj() : md);
            Json.putNullable(pid, "description", Params.str(pidata, "description"));
            Json.putNullable(pid, "capture_method", Params.str(pidata, "capture_method"));
            Json.putNullable(pid, "receipt_email", Params.str(pidata, "receipt_email"));
        }
        pendingIntentData.put(id, pid);
        return s.deepCopy();
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
                rest.remove("tax_code");
                productId = engine.products.newProduct(name, Params.of(rest), false).path("id").asText();
            }
            return engine.prices.newPrice(cur, ua, productId, null, false);
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
                "created[*]", "expand[]", "customer_details[email]", "payment_link", "subscription");
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
            if (pid.path("receipt_email").isTextual()) {
                pi.put("receipt_email", pid.path("receipt_email").asText());
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
        s.putNull("url");
        updated("checkout.session.completed", s, before);
    }
}
