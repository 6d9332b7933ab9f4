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
        if (ok) {
            ch.put("balance_transaction", manual ? null : Ids.id("txn"));
        } else {
            ch.putNull("balance_transaction");
        }
        ch.set("billing_details", pm.get("billing_details").deepCopy());
        ch.put("calculated_statement_descriptor", "BOOKSTORE");
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
        ch.put("payment_intent", pi.path("id").asText());
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
        ch.set("shipping", pi.get("shipping").deepCopy());
        ch.putNull("source");
        ch.putNull("source_transfer");
        ch.putNull("statement_descriptor");
        ch.putNull("statement_descriptor_suffix");
        ch.put("status", ok ? "succeeded" : "failed");
        ch.putNull("transfer_data");
        ch.putNull("transfer_group");
        store(ch);
        return ch;
    }

    ObjectNode retrieve(String id) {
        return get("charge", id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow("description", "metadata[*]", "receipt_email", "shipping[*]", "shipping[address][*]",
                "fraud_details[*]", "transfer_group", "expand[]", "customer");
        ObjectNode ch = get("charge", id, "id");
        ObjectNode before = ch.deepCopy();
        if (p.has("description")) {
            ch.put("description", p.str("description"));
        }
        if (p.has("receipt_email")) {
            ch.put("receipt_email", p.str("receipt_email"));
        }
        Metadata.merge(ch, p.stringMap("metadata"));
        updated("charge.updated", ch, before);
        return ch.deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "customer", "payment_intent", "created", "created[*]",
                "expand[]", "transfer_group");
        String customer = p.str("customer");
        String pi = p.str("payment_intent");
        return list("charge", "/v1/charges", p, o -> (customer == null || customer.equals(o.path("customer").asText()))
                && (pi == null || pi.equals(o.path("payment_intent").asText())));
    }

    /** An uncaptured charge's authorization released: it counts as refunded in full. */
    void releaseAuthorization(ObjectNode ch, String eventType) {
        ObjectNode before = ch.deepCopy();
        ch.put("amount_refunded", ch.path("amount").asLong());
        ch.put("refunded", true);
        emit(eventType, ch, Json.diff(before, ch));
    }
}
