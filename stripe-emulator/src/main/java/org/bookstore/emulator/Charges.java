package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Charges: the object a payment attempt leaves behind, and its retrieve, update and list. */
final class Charges extends Resource {
    Charges(Engine engine) {
        super(engine);
    }

    ObjectNode newCharge(ObjectNode pi, ObjectNode pm, String declineCode, boolean manual, boolean authenticated) {
        ObjectNode ch = Json.obj();
        long amount = pi.path("amount").asLong();
        boolean ok = declineCode == null;
        ch.put("id", Ids.id("ch"));
        ch.put("object", "charge");
        ch.put("amount", amount);
        ch.put("amount_captured", ok && !manual ? amount : 0);
        ch.put("amount_refunded", 0);
        ch.putNull("application");
        ch.putNull("application_fee");
        ch.putNull("application_fee_amount");
        ch.putNull("balance_transaction"); // set once captured
        ch.set("billing_details", pm.get("billing_details").deepCopy());
        ch.put("calculated_statement_descriptor", StatementDescriptors.calculated(pi));
        ch.put("captured", ok && !manual);
        ch.put("created", now());
        ch.put("currency", pi.path("currency").asText());
        ch.set("customer", pi.get("customer").deepCopy());
        ch.set("description", pi.get("description").deepCopy());
        ch.put("disputed", false);
        ch.putNull("failure_balance_transaction");
        if (ok) {
            ch.putNull("failure_code");
            ch.putNull("failure_message");
        } else {
            ch.put("failure_code", Cards.errorCode(declineCode));
            ch.put("failure_message", Cards.message(declineCode));
        }
        ch.putObject("fraud_details");
        ch.put("livemode", false);
        ch.set("metadata", pi.get("metadata").deepCopy());
        ch.putNull("on_behalf_of");
        ObjectNode out = ch.putObject("outcome");
        out.putNull("advice_code");
        out.putNull("network_advice_code");
        out.putNull("network_decline_code");
        if (ok) {
            out.put("network_status", "approved_by_network");
            out.putNull("reason");
            out.put("risk_level", "normal");
            out.put("risk_score", 32);
            out.put("seller_message", "Payment complete.");
            out.put("type", "authorized");
        } else if (declineCode.equals("fraudulent")) {
            out.put("network_status", "not_sent_to_network");
            out.put("reason", "highest_risk_level");
            out.put("risk_level", "highest");
            out.put("risk_score", 95);
            out.put("seller_message", "Stripe blocked this payment as too risky.");
            out.put("type", "blocked");
        } else {
            out.put("network_status", "declined_by_network");
            out.put("reason", declineCode);
            out.put("risk_level", "normal");
            out.put("risk_score", 40);
            out.put("seller_message", "The bank did not return any further details with this decline.");
            out.put("type", "issuer_declined");
        }
        ch.put("paid", ok);
        ch.set("payment_intent", pi.path("id").isTextual() ? pi.get("id").deepCopy() : Json.M.nullNode());
        ch.put("payment_method", pm.path("id").asText());
        ObjectNode pmd = ch.putObject("payment_method_details");
        ObjectNode card = pmd.putObject("card");
        JsonNode pc = pm.has("card") ? pm.get("card") : Json.obj();
        card.putNull("amount_authorized");
        if (ok) {
            card.put("amount_authorized", amount);
        }
        card.set("authorization_code", null);
        card.set("brand", pc.get("brand"));
        ObjectNode checks = card.putObject("checks");
        checks.putNull("address_line1_check");
        checks.putNull("address_postal_code_check");
        checks.put("cvc_check", "pass");
        card.set("country", pc.get("country"));
        card.set("exp_month", pc.get("exp_month"));
        card.set("exp_year", pc.get("exp_year"));
        card.putObject("extended_authorization").put("status", "disabled");
        card.set("fingerprint", pc.get("fingerprint"));
        card.set("funding", pc.get("funding"));
        card.putObject("incremental_authorization").put("status", "unavailable");
        card.putNull("installments");
        card.set("last4", pc.get("last4"));
        card.putNull("mandate");
        card.putObject("multicapture").put("status", "unavailable");
        card.set("network", pc.get("brand"));
        card.putObject("network_token").put("used", false);
        card.put("network_transaction_id", Ids.random(15));
        ObjectNode oc = card.putObject("overcapture");
        oc.put("maximum_amount_capturable", amount);
        oc.put("status", "unavailable");
        card.put("regulated_status", "unregulated");
        if (authenticated) {
            ObjectNode tds = card.putObject("three_d_secure");
            tds.put("authentication_flow", "challenge");
            tds.put("electronic_commerce_indicator", "05");
            tds.putNull("exemption_indicator");
            tds.put("result", "authenticated");
            tds.putNull("result_reason");
            tds.put("transaction_id", java.util.UUID.randomUUID().toString());
            tds.put("version", "2.2.0");
        } else {
            card.putNull("three_d_secure");
        }
        card.putNull("transaction_link_id");
        card.putNull("wallet");
        pmd.put("type", "card");
        ch.set("receipt_email", pi.get("receipt_email").deepCopy());
        ch.putNull("receipt_number");
        ch.put("receipt_url", host.baseUrl() + "/receipts/" + ch.path("id").asText());
        ch.put("refunded", false);
        ch.putNull("review");
        ch.set("shipping", pi.path("shipping").isObject() ? pi.get("shipping").deepCopy() : Json.M.nullNode());
        ch.putNull("source");
        ch.putNull("source_transfer");
        ch.set("statement_descriptor", pi.path("statement_descriptor").isTextual()
                ? pi.get("statement_descriptor").deepCopy() : Json.M.nullNode());
        ch.set("statement_descriptor_suffix", pi.path("statement_descriptor_suffix").isTextual()
                ? pi.get("statement_descriptor_suffix").deepCopy() : Json.M.nullNode());
        ch.put("status", ok ? "succeeded" : "failed");
        ch.putNull("transfer_data");
        ch.set("transfer_group", pi.path("transfer_group").isTextual() ? pi.get("transfer_group").deepCopy()
                : Json.M.nullNode());
        store(ch);
        if (ok && !manual) {
            ch.put("balance_transaction", engine.balanceTransactions.forCharge(ch, amount));
        }
        return ch;
    }

    ObjectNode retrieve(String id) {
        return get("charge", id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow(PaymentIntents.concat(Json.SHIPPING_PARAMS, new String[] {"description", "metadata[*]",
            "receipt_email", "fraud_details[user_report]", "transfer_group", "expand[]", "customer"}));
        ObjectNode ch = get("charge", id, "id");
        ObjectNode before = ch.deepCopy();
        for (String f : new String[] {"description", "receipt_email", "transfer_group"}) {
            if (p.has(f)) {
                String v = p.str(f);
                Json.putNullable(ch, f, v == null || v.isEmpty() ? null : v);
            }
        }
        if (p.has("shipping")) {
            ch.set("shipping", Json.shipping(p.map("shipping"), "shipping"));
        }
        if (p.has("customer")) {
            String c = get("customer", p.str("customer"), "customer").path("id").asText();
            if (!ch.path("customer").isNull() && !ch.path("customer").asText().equals(c)) {
                throw StripeError.invalid("The charge already has a customer.", "customer");
            }
            ch.put("customer", c);
        }
        String report = Params.str(p.map("fraud_details"), "user_report");
        if (report != null) {
            Params.checkEnum(report, "fraud_details[user_report]", "fraudulent", "safe");
            ((ObjectNode) ch.get("fraud_details")).put("user_report", report);
        }
        Metadata.merge(ch, p.stringMap("metadata"));
        updated("charge.updated", ch, before);
        return ch.deepCopy();
    }

    // ------------------------------------------------------------------ the legacy Charges API

    private static final String[] CHARGE_CREATE = PaymentIntents.concat(Json.SHIPPING_PARAMS, new String[] {
        "amount", "currency", "customer", "source", "description", "metadata[*]", "capture", "receipt_email",
        "statement_descriptor", "statement_descriptor_suffix", "transfer_group", "expand[]"});

    /**
     * {@code POST /v1/charges}: charges a token, a customer's card, or the customer's default card at once, with the
     * test cards' declines (a 402 naming the failed charge, as at Stripe).
     */
    ObjectNode create(Params p) {
        p.allow(CHARGE_CREATE);
        long amount = p.reqLong("amount");
        String currency = p.req("currency").toLowerCase();
        Money.validateCurrency(currency, "currency");
        Money.validateAmount(amount, currency, "amount");
        String customerId = p.str("customer");
        ObjectNode customer = customerId == null ? null : get("customer", customerId, "customer");
        String source = p.str("source");
        ObjectNode card;
        if (source != null && !source.isEmpty()) {
            card = chargeable(source, customer);
        } else if (customer != null) {
            if (customer.path("default_source").isNull()) {
                throw StripeError.invalid("missing", "Cannot charge a customer that has no active card", "card");
            }
            card = get("card", customer.path("default_source").asText(), "customer");
        } else {
            throw StripeError.invalid("missing", "Must provide source or customer.", null);
        }
        // what newCharge reads from an intent; a legacy charge has none
        ObjectNode like = Json.obj();
        like.put("amount", amount);
        like.put("currency", currency);
        Json.putNullable(like, "customer", customer == null ? null : customerId);
        Json.putNullable(like, "description", p.str("description"));
        like.putObject("metadata");
        Metadata.merge(like, p.stringMap("metadata"));
        Json.putNullable(like, "receipt_email", p.str("receipt_email"));
        like.set("shipping", p.has("shipping") ? Json.shipping(p.map("shipping"), "shipping") : Json.M.nullNode());
        for (String f : new String[] {"statement_descriptor", "statement_descriptor_suffix", "transfer_group"}) {
            Json.putNullable(like, f, p.str(f));
        }
        String number = engine.paymentMethods.numberOf(card.path("id").asText(), "4242424242424242");
        Cards.Behaviour b = Cards.behaviour(number);
        // the Charges API cannot ask for 3-D Secure: cards that require it decline
        String decline = b.declines() ? b.declineCode : b.threeDs ? "authentication_required" : null;
        boolean manual = Boolean.FALSE.equals(p.bool("capture"));
        ObjectNode ch = newCharge(like, Sources.asPaymentMethod(card, number), decline, manual, false);
        ch.set("source", card.deepCopy());
        if (decline != null) {
            emit("charge.failed", ch, null);
            String code = Cards.errorCode(decline);
            throw new StripeError(402, "card_error", code, decline, Cards.message(decline), null)
                    .with("charge", Json.M.getNodeFactory().textNode(ch.path("id").asText()));
        }
        emit("charge.succeeded", ch, null);
        String chId = ch.path("id").asText();
        if (manual) {
            // uncaptured charges expire after 7 days, as card authorizations do
            engine.at(engine.nowMillis() + 7L * 86400 * 1000, () -> {
                ObjectNode c = table("charge").get(chId);
                if (c != null && !c.path("captured").asBoolean() && !c.path("refunded").asBoolean()) {
                    releaseAuthorization(c, "charge.expired");
                }
            });
        } else if (b.dispute) {
            later(() -> engine.disputes.open(chId));
        }
        return ch.deepCopy();
    }

    /** The card a charge's {@code source} names: a token (used up) or a card, the customer's when one is given. */
    private ObjectNode chargeable(String source, ObjectNode customer) {
        if (source.startsWith("tok_")) {
            if (customer != null) {
                throw StripeError.invalid("missing", "Customer " + customer.path("id").asText() + " does not have a "
                        + "linked source with ID " + source + ".", "source");
            }
            return engine.tokens.consume(source, "source");
        }
        if (source.startsWith("pm_")) {
            throw StripeError.invalid("You cannot create a charge with a PaymentMethod. Use the Payment Intents API "
                    + "instead.", "source");
        }
        ObjectNode card = table("card").get(source);
        if (card == null) {
            throw StripeError.notFound("source", source, "source");
        }
        String owner = card.path("customer").isTextual() ? card.path("customer").asText() : null;
        if (customer == null && owner != null) {
            throw StripeError.invalid("missing", "Cannot charge a card that belongs to a customer without the "
                    + "customer: pass `customer` as well.", "source");
        }
        if (customer != null && !customer.path("id").asText().equals(owner)) {
            throw StripeError.invalid("missing", "Customer " + customer.path("id").asText() + " does not have a "
                    + "linked source with ID " + source + ".", "source");
        }
        return card;
    }

    /** {@code POST /v1/charges/{id}/capture}; a PaymentIntent's charge is captured through its intent. */
    ObjectNode capture(String id, Params p) {
        p.allow("amount", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "expand[]");
        ObjectNode ch = get("charge", id, "charge");
        if (ch.path("payment_intent").isTextual()) {
            Params pp = Params.empty();
            if (p.has("amount")) {
                pp.root.put("amount_to_capture", p.str("amount"));
            }
            for (String f : new String[] {"statement_descriptor", "statement_descriptor_suffix"}) {
                if (p.has(f)) {
                    pp.root.put(f, p.str(f));
                }
            }
            engine.paymentIntents.capture(ch.path("payment_intent").asText(), pp);
            return get("charge", id, "charge").deepCopy();
        }
        if (ch.path("captured").asBoolean()) {
            throw StripeError.invalid("charge_already_captured", "Charge " + id + " has already been captured.",
                    null);
        }
        if (ch.path("refunded").asBoolean() || !ch.path("status").asText().equals("succeeded")) {
            throw StripeError.invalid("charge_expired_for_capture", "Charge " + id + " has expired and can no "
                    + "longer be captured.", null);
        }
        Long amt = p.lng("amount");
        long total = ch.path("amount").asLong();
        long amount = amt == null ? total : amt;
        if (amount > total) {
            throw StripeError.invalid("amount_too_large", "The amount to capture (" + amount + ") is greater than "
                    + "the authorized amount (" + total + ").", "amount");
        }
        Money.validateAmount(amount, ch.path("currency").asText(), "amount");
        ObjectNode before = ch.deepCopy();
        ch.put("captured", true);
        ch.put("amount_captured", amount);
        if (amount < total) {
            ch.put("amount_refunded", total - amount);
        }
        for (String f : new String[] {"receipt_email", "statement_descriptor", "statement_descriptor_suffix"}) {
            if (p.has(f)) {
                Json.putNullable(ch, f, p.str(f));
            }
        }
        ch.put("balance_transaction", engine.balanceTransactions.forCharge(ch, amount));
        emit("charge.captured", ch, Json.diff(before, ch));
        String number = engine.paymentMethods.numberOf(ch.path("payment_method").asText(), "");
        if (Cards.behaviour(number).dispute) {
            later(() -> engine.disputes.open(id));
        }
        return ch.deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "customer", "payment_intent", "created", "created[*]",
                "expand[]", "transfer_group");
        String customer = p.str("customer");
        String pi = p.str("payment_intent");
        String group = p.str("transfer_group");
        return list("charge", "/v1/charges", p, o -> (customer == null || customer.equals(o.path("customer").asText()))
                && (pi == null || pi.equals(o.path("payment_intent").asText()))
                && (group == null || group.equals(o.path("transfer_group").asText())));
    }

    /** An uncaptured charge's authorization released: it counts as refunded in full. */
    void releaseAuthorization(ObjectNode ch, String eventType) {
        ObjectNode before = ch.deepCopy();
        ch.put("amount_refunded", ch.path("amount").asLong());
        ch.put("refunded", true);
        emit(eventType, ch, Json.diff(before, ch));
    }
}
